/* The OpenAPI 3 document of the routes in http/api.c. It is plain JSON in openapi.json, compiled
 * in by openapi_data.S; tests/unit/test_http.c checks that every route is there and nothing else
 * is, and that the document is valid JSON. */
#include "http/request.h"

extern const char baoxue_openapi_json[];

const char *openapi_document(void)
{
    return baoxue_openapi_json;
}
