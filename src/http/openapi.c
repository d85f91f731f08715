/* The OpenAPI 3 document of the routes in http/api.c; tests/unit/test_http.c checks that
 * every route is here and nothing else is. */
#include "http/request.h"

#define ERR "{\"$ref\": \"#/components/responses/Error\"}"
#define PAGE_PARAMS                                                                                \
    "{\"name\": \"page\", \"in\": \"query\", \"schema\": {\"type\": \"integer\", \"minimum\": "    \
    "1}},"                                                                                         \
    "{\"name\": \"per_page\", \"in\": \"query\", \"schema\": {\"type\": \"integer\", "             \
    "\"minimum\": 1}}"

static const char doc[] =
    "{\"openapi\": \"3.0.3\","
    "\"info\": {\"title\": \"baoxue（保学）API\", \"version\": \"1\","
    " \"description\": \"控辍保学信息系统的接口。登录后会话保存在 HttpOnly Cookie 中；"
    "改变状态的请求须在 X-CSRF-Token 头中带上登录时返回的 csrf_token。错误的格式总是 "
    "{\\\"error\\\": {\\\"code\\\", \\\"message\\\"}}。\"},"
    "\"components\": {"
    " \"securitySchemes\": {\"session\": {\"type\": \"apiKey\", \"in\": \"cookie\","
    "  \"name\": \"baoxue_session\"}},"
    " \"schemas\": {\"Error\": {\"type\": \"object\", \"required\": [\"error\"], \"properties\":"
    "  {\"error\": {\"type\": \"object\", \"required\": [\"code\", \"message\"], \"properties\":"
    "  {\"code\": {\"type\": \"string\"}, \"message\": {\"type\": \"string\"}}}}},"
    "  \"Login\": {\"type\": \"object\", \"required\": [\"username\", \"password\"], "
    "\"properties\":"
    "  {\"username\": {\"type\": \"string\"}, \"password\": {\"type\": \"string\"}}}},"
    " \"responses\": {\"Error\": {\"description\": \"错误\", \"content\": {\"application/json\":"
    "  {\"schema\": {\"$ref\": \"#/components/schemas/Error\"}}}}}},"
    "\"security\": [{\"session\": []}],"
    "\"paths\": {"
    "\"/healthz\": {\"get\": {\"summary\": \"服务是否正常（无需登录）\", \"security\": [],"
    " \"responses\": {\"200\": {\"description\": \"正常\"}}}},"
    "\"/api/v1/openapi.json\": {\"get\": {\"summary\": \"本接口的 OpenAPI 3 描述\", \"security\": "
    "[],"
    " \"responses\": {\"200\": {\"description\": \"本文档\"}}}},"
    "\"/api/v1/session\": {"
    " \"post\": {\"summary\": \"登录\", \"security\": [], \"requestBody\": {\"required\": true,"
    "  \"content\": {\"application/json\": {\"schema\": {\"$ref\": "
    "\"#/components/schemas/Login\"}}}},"
    "  \"responses\": {\"200\": {\"description\": \"已登录：设置会话 Cookie，返回用户和 "
    "csrf_token\"},"
    "  \"400\": " ERR ", \"401\": " ERR ", \"413\": " ERR ", \"429\": " ERR "}},"
    " \"get\": {\"summary\": \"当前登录的用户和 CSRF 令牌\", \"responses\": {\"200\":"
    "  {\"description\": \"当前会话\"}, \"401\": " ERR "}},"
    " \"delete\": {\"summary\": \"退出登录\", \"parameters\": [{\"name\": \"X-CSRF-Token\","
    "  \"in\": \"header\", \"required\": true, \"schema\": {\"type\": \"string\"}}],"
    "  \"responses\": {\"200\": {\"description\": \"已退出\"}, \"401\": " ERR ", \"403\": " ERR
    "}}},"
    "\"/api/v1/summary\": {\"get\": {\"summary\": \"各乡镇各状态人数汇总\", \"parameters\":"
    " [{\"name\": \"township\", \"in\": \"query\", \"schema\": {\"type\": \"string\"}}],"
    " \"responses\": {\"200\": {\"description\": \"汇总\"}, \"401\": " ERR ", \"403\": " ERR
    ", \"404\": " ERR "}}},"
    "\"/api/v1/children\": {\"get\": {\"summary\": \"儿童名单（分页、筛选）\", \"parameters\": ["
    " {\"name\": \"township\", \"in\": \"query\", \"schema\": {\"type\": \"string\"}},"
    " {\"name\": \"status\", \"in\": \"query\", \"schema\": {\"type\": \"string\", \"enum\":"
    "  [\"all\", \"enrolled\", \"enrolled_elsewhere\", \"not_enrolled\", \"dropped_out\","
    "  \"suspended\", \"pending_review\", \"completed\", \"not_yet_school_age\", \"beyond_age\","
    "  \"inactive\"]}},"
    " {\"name\": \"q\", \"in\": \"query\", \"description\": \"姓名的一部分或完整身份证号\","
    "  \"schema\": {\"type\": \"string\"}}," PAGE_PARAMS "],"
    " \"responses\": {\"200\": {\"description\": \"{items, total, page, "
    "per_page}；身份证号已遮盖\"},"
    " \"400\": " ERR ", \"401\": " ERR ", \"403\": " ERR ", \"404\": " ERR "}}},"
    "\"/api/v1/children/{id}\": {\"get\": {\"summary\": \"一名儿童的完整记录\", \"parameters\": ["
    " {\"name\": \"id\", \"in\": \"path\", \"required\": true, \"description\": \"户籍记录编号\","
    "  \"schema\": {\"type\": \"integer\"}},"
    " {\"name\": \"full\", \"in\": \"query\", \"description\": "
    "\"1：完整身份证号和电话（admin、county；记入审计）\","
    "  \"schema\": {\"type\": \"string\", \"enum\": [\"1\"]}}],"
    " \"responses\": {\"200\": {\"description\": \"儿童记录\"}, \"401\": " ERR ", \"403\": " ERR
    ", \"404\": " ERR "}}},"
    "\"/api/v1/review\": {\"get\": {\"summary\": \"人工复核队列\", \"responses\": {\"200\":"
    " {\"description\": \"待复核的记录对\"}, \"401\": " ERR ", \"403\": " ERR ", \"404\": " ERR
    "}}},"
    "\"/api/v1/audit\": {\"get\": {\"summary\": \"审计日志（仅管理员）\", \"parameters\": ["
    " {\"name\": \"actor\", \"in\": \"query\", \"schema\": {\"type\": \"string\"}},"
    " {\"name\": \"action\", \"in\": \"query\", \"schema\": {\"type\": \"string\"}},"
    " {\"name\": \"target\", \"in\": \"query\", \"schema\": {\"type\": \"string\"}},"
    " {\"name\": \"since\", \"in\": \"query\", \"schema\": {\"type\": \"string\"}},"
    " {\"name\": \"until\", \"in\": \"query\", \"schema\": {\"type\": \"string\"}}," PAGE_PARAMS
    "],"
    " \"responses\": {\"200\": {\"description\": \"{items, total, page, per_page}\"},"
    " \"400\": " ERR ", \"401\": " ERR ", \"403\": " ERR "}}}"
    "}}";

const char *openapi_document(void)
{
    return doc;
}
