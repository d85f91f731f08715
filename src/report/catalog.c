#include "report/catalog.h"

#include "report/entrants.h"
#include "report/separation.h"
#include "report/wellbeing.h"

#include "util/common.h"

#define RUN_REPORT (RT_TOWNSHIP | RT_RUN)

const struct report_def report_defs[] = {
    {"out-of-school", "失学辍学儿童名单",
     "适龄未入学、辍学和有疑似学籍记录待复核的儿童名单（疑似失学辍学台账）", report_out_of_school,
     RUN_REPORT | RT_FULL | RT_GROUPS, PERM_SUMMARY, true, false, false, false},
    {"summary", "各乡镇状态汇总", "各乡镇、全县各状态人数汇总", report_summary, RUN_REPORT,
     PERM_SUMMARY, false, false, false, false},
    {"children", "儿童状态清单", "户籍中每名儿童的状态、学校和情况（儿童状态清单）",
     report_children, RUN_REPORT | RT_STATUS | RT_FULL | RT_GROUPS, PERM_SUMMARY, true, false,
     false, false},
    {"ledger-school-age", "适龄儿童台账",
     "适龄儿童台账：义务教育年龄段每名儿童的就学状态、学校，有核查任务或案件的写明核查结论和"
     "案件情况",
     report_ledger_school_age, RUN_REPORT | RT_STATUS | RT_FULL | RT_GROUPS, PERM_SUMMARY, true,
     true, false, false},
    {"ledger-suspected", "疑似失学辍学台账",
     "疑似失学辍学台账：每项核查任务（截止日期、剩余天数、结论、责任人）", report_ledger_suspected,
     RT_TOWNSHIP | RT_FULL | RT_GROUPS, PERM_SUMMARY, true, true, false, false},
    {"ledger-dropout", "失学辍学台账",
     "失学辍学台账（一人一案）：原因、劝返次数、依法控辍步骤、责任人、立案天数、劝返结果、"
     "巩固回访",
     report_ledger_dropout, RT_TOWNSHIP | RT_FULL | RT_GROUPS, PERM_SUMMARY, true, true, false,
     false},
    {"monthly", "控辍保学工作月报",
     "控辍保学工作月报：各乡镇新增疑似、核查、立案、劝返复学、销号、仍失学辍学（按原因）和"
     "入学率",
     report_monthly, RT_TOWNSHIP | RT_MONTH, PERM_SUMMARY, false, true, false, false},
    /* for the police (issue 13): who the register does not know, and what the county found */
    {"unregistered-pupils", "有学籍无户籍学生核查名单",
     "有学籍无户籍学生核查名单：本县学校在读、户籍名单中没有，且身份证号属本县或没有身份证号的"
     "学生（可能未落户），送公安核查",
     report_unregistered_pupils, RUN_REPORT | RT_FULL, PERM_SUMMARY, true, true, true, false},
    {"registration-feedback", "户籍核查反馈表",
     "户籍核查反馈表：乡镇入户核查发现的户籍问题（空挂户、双重户籍、证件错误、查无此人）和有学籍"
     "无户籍的学生，写明发现的情况、核查人和日期，按乡镇送公安机关",
     report_registration_feedback, RT_TOWNSHIP | RT_FULL, PERM_SUMMARY, true, true, true, false},
    /* what a cadre takes to the village (issue 14): the township's own, contacts as on the page */
    {"visit-sheet", "走访清单",
     "走访清单：每个村（社区）待核查和劝返中的儿童，写明监护人、电话、住址、状态和截止日期，"
     "留出走访结果、日期和签名栏，可直接打印",
     report_visit_sheet, RT_TOWNSHIP | RT_VILLAGE | RT_FULL | RT_PDF, PERM_CASEWORK, true, false,
     false, false},
    /* issue 15: the priority groups (domain/groups.c) */
    {"groups", "重点群体儿童名单",
     "重点群体儿童名单：属于脱贫户、防返贫监测对象、低保、特困、孤儿、事实无人抚养、残疾、留守"
     "等重点群体的每名适龄儿童，写明所属群体、状态和关联方式",
     report_groups, RUN_REPORT | RT_FULL | RT_GROUPS, PERM_SUMMARY, true, false, false, false},
    {"groups-unmatched", "重点群体未关联名单",
     "重点群体未关联名单：重点群体名单中在户籍名单里找不到或多人符合的适龄儿童（可能未落户）",
     report_groups_unmatched, RUN_REPORT | RT_FULL, PERM_SUMMARY, true, false, false, false},
    /* children with disabilities (issue 15): the placement register, scoped by the account */
    {"disability", "残疾儿童安置登记册",
     "残疾儿童安置登记册：核查结论为送教上门/因病因残或已登记安置方式的适龄儿童，写明安置方式、"
     "学校、缓学免学截止日期和本月送教次数、课时",
     report_disability, RT_TOWNSHIP, PERM_CASES, true, false, false, true},
    {"groups-status", "重点群体在校情况",
     "重点群体在校情况：每个重点群体的适龄儿童按乡镇统计本县在校、县外就读、送教上门、疑似失学"
     "辍学和确认失学辍学人数",
     report_groups_status, RUN_REPORT | RT_GROUPS | RT_GROUP_READERS, PERM_SUMMARY, false, true,
     false, false},
    {"aid-gaps", "应助尽助核查表",
     "应助尽助核查表：重点群体在本县学校就读、本学年没有资助发放记录的学生（按学校），和发给"
     "未在校、不在本县就读或查无此人的儿童的资助",
     report_aid_gaps, RUN_REPORT | RT_FULL | RT_AID_READERS, PERM_CHILDREN, true, false, false,
     true},
    {"left-behind-care", "留守儿童关爱联系情况",
     "留守儿童关爱联系情况：在本县学校就读的每名留守儿童最近一次关爱联系，本月是否联系，各校"
     "本月未联系人数",
     report_left_behind_care, RUN_REPORT | RT_MONTH | RT_FULL, PERM_CHILDREN, true, false, false,
     true},
    /* issue 16: the children still at school most likely to drop out (casework/atrisk.h) */
    {"at-risk", "预警名单",
     "预警名单：在校学生中预警分（曾立案、重点群体、超龄、13至15岁且父母外出务工等因素的分值之和，"
     "分值可设置）达到分数线的，按乡镇、学校和分数排列，写明预警因素和结对教师",
     report_at_risk, RT_TOWNSHIP | RT_FULL, PERM_CHILDREN, true, false, false, true},
    /* issue 16: the early warnings of the attendance (casework/warning.h) */
    {"warnings", "考勤预警",
     "考勤预警：连续旷课、当月累计旷课和长期病假的预警，写明天数、状态、处理层级和联系结果",
     report_warnings, RT_TOWNSHIP | RT_FULL, PERM_CHILDREN, true, false, false, true},
    /* issue 16: 人籍分离 (report/separation.h), per school, for the county to have corrected */
    {"separation", "人籍分离情况",
     "人籍分离情况：学籍在本校但连续多日旷课、实际在他校就读、学籍变动与考勤不符的学生，按学校"
     "列出情况和学校应办事项（转学、辍学标记、更正学籍）",
     report_separation, RT_TOWNSHIP | RT_SCHOOL | RT_FULL, PERM_CHILDREN, true, false, false, true},
    /* issue 16: the illness ledger (a school its pupils', a township its own) and what the
     * county sends 卫健; the mental-health ledger is no report (casework/wellbeing.h) */
    {"illness", "疾病台帐",
     "疾病台帐：在校学生的慢性病、重大疾病、传染病和意外伤害，对到校的影响、诊断证明和随访",
     report_illness, RT_TOWNSHIP | RT_FULL, PERM_CHILDREN, true, false, false, true},
    {"infectious", "传染病缺课登记表",
     "传染病缺课登记表：一个月（默认本月）在校学生因传染病缺课的情况，报县卫生健康局",
     report_infectious, RT_TOWNSHIP | RT_MONTH | RT_FULL, PERM_SUMMARY, true, true, false, false},
    /* issue 17: the indicators, their trend and the ranking (report/indicators.h) */
    {"indicators", "控辍保学指标",
     "控辍保学指标：各乡镇（或各重点群体）入学率、巩固率、辍学率、疑似儿童按时核查率、"
     "劝返复学率、平均劝返天数、逾期任务和案件、重点群体失学辍学人数，及其分子分母",
     report_indicators, RT_TOWNSHIP | RT_MONTH | RT_GROUPS, PERM_SUMMARY, false, true, false,
     false},
    {"indicators-trend", "控辍保学指标趋势",
     "控辍保学指标趋势：最近 12 个月每月月末的全县（或一个乡镇）各项指标", report_indicators_trend,
     RT_TOWNSHIP | RT_MONTH, PERM_SUMMARY, false, false, false, false},
    {"ranking", "控辍保学排名",
     "控辍保学排名：各乡镇（或各学校）按各项指标排名、综合排名，标出辍学高发单位", report_ranking,
     RT_TOWNSHIP | RT_MONTH | RT_BY, PERM_SUMMARY, false, true, false, false},
    /* issue 17: 招生入学 (report/entrants.h) */
    {"entrants", "招生入学名单",
     "招生入学名单：明年秋季入学（截止日前满6周岁）的户籍儿童按学区学校列出，加上学校登记的入学"
     "申请（随迁子女等），写明村（社区）、学区学校或未划学区、来源，各学校人数",
     report_entrants, RT_TOWNSHIP | RT_SCHOOL | RT_FULL, PERM_CHILDREN, true, false, false, true},
    {"entrants-check", "新生未注册学籍核对",
     "新生未注册学籍核对：九月学籍导入后，本学年应入学（截止日前满6周岁）的儿童中学籍里没有的，"
     "写明学区学校、来源和比对状态",
     report_entrants_check, RT_TOWNSHIP | RT_SCHOOL | RT_FULL, PERM_CHILDREN, true, false, false,
     true},
    {"catchment", "学区划分", "学区划分：户籍名单中每个村（社区）划入的学校，未划学区的村单独标明",
     report_catchment, RT_TOWNSHIP | RT_SCHOOL, PERM_CHILDREN, false, false, false, true},
    /* the web UI's 导出Excel: exactly the children list's filters and order (children_table) */
    {"children-list", "儿童名单", "网页台账上的儿童名单，按其筛选和排序（仅网页和接口）", NULL,
     RT_LIST, PERM_SUMMARY, true, false, false, false},
};
const size_t report_defs_count = ARRAY_SIZE(report_defs);

const struct report_def *report_find(const char *name)
{
    for (size_t i = 0; name && i < report_defs_count; i++)
        if (!strcmp(name, report_defs[i].name))
            return &report_defs[i];
    return NULL;
}

void report_names(struct buf *out, bool built)
{
    size_t before = out->len;
    for (size_t i = 0; i < report_defs_count; i++)
        if (!built || report_defs[i].fn)
            buf_addf(out, "%s%s", out->len > before ? "、" : "", report_defs[i].name);
}

void report_titles(struct buf *out)
{
    size_t before = out->len;
    for (size_t i = 0; i < report_defs_count; i++)
        buf_addf(out, "%s《%s》", out->len > before ? "、" : "", report_defs[i].title);
}
