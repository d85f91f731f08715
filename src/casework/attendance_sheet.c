/*
 * What a school's attendance sheet says, cell by cell (casework/attendance_impl.h): its columns'
 * header names, a grid's day columns and marks, a class as its number, a grade inside a class's
 * text; and what an import tells a person and the API.
 */
#include "casework/attendance.h"

#include "casework/attendance_impl.h"
#include "core/schoolyear.h"
#include "core/words.h"
#include "ingest/field.h"
#include "util/common.h"

bool attendance_kind_word(const char *kind)
{
    return kind && (!strcmp(kind, "attendance") || !strcmp(kind, "考勤") ||
                    !strcmp(kind, "考勤表") || !strcmp(kind, "缺勤") || !strcmp(kind, "考勤记录"));
}

static const char *const acol_names[A__COUNT] = {
    [A_DATE] = "日期|缺勤日期|考勤日期|请假日期",
    [A_CLASS] = "班级|班别|班",
    [A_GRADE] = "年级",
    [A_NO] = "学籍号|全国学籍号|学生学籍号|学籍编号",
    [A_ID] = "身份证号|身份证件号|公民身份号|证件号",
    [A_NAME] = "姓名|学生姓名|学生",
    [A_KIND] = "类型|缺勤类型|考勤类型|缺勤类别|请假类型|考勤情况|缺勤情况",
    [A_NOTE] = "原因|缺勤原因|请假原因|备注|事由|说明",
    [A_MONTH] = "月份|考勤月份",
    [A_SCHOOL] = "学校|学校名称|学校标识码|学校代码",
};

int acol_of(const char *text, size_t len, struct buf *k)
{
    header_key(k, text, len);
    for (int c = 0; c < A__COUNT; c++) {
        const char *p = acol_names[c];
        while (*p) {
            const char *bar = strchr(p, '|');
            size_t n = bar ? (size_t)(bar - p) : strlen(p);
            if (k->len == n && !memcmp(k->buf, p, n))
                return c;
            p += n + (bar ? 1 : 0);
        }
    }
    return -1;
}

/* A grid's day column: "1" … "31", "1日", "01", "1号". 0 when not one. */
int day_col(const char *t, size_t len)
{
    int d = 0;
    size_t i = 0;
    while (i < len && i < 2 && t[i] >= '0' && t[i] <= '9')
        d = d * 10 + (t[i++] - '0');
    if (!i || d < 1 || d > 31)
        return 0;
    if (i == len || (len - i == 3 && (!strncmp(t + i, "日", 3) || !strncmp(t + i, "号", 3))))
        return d;
    if (len - i == 2 && !strncmp(t + i, ".0", 2)) /* a number cell */
        return d;
    return 0;
}

/* The class's number as the 学籍 list and the sheets write it: "七年级(2)班", "2班", "（2）",
 * "2" → "2"; text without digits stays as it is. */
void class_norm(const char *t, char out[32])
{
    const char *last = NULL;
    size_t n = 0;
    for (const char *p = t; *p; p++)
        if (*p >= '0' && *p <= '9') {
            if (!n || p != last + n)
                last = p, n = 0;
            n++;
        }
    if (last) {
        /* leading zeros: "02" is 2 */
        while (n > 1 && *last == '0')
            last++, n--;
        snprintf(out, 32, "%.*s", (int)n, last);
    } else {
        snprintf(out, 32, "%s", t);
    }
}

/* A grade named inside a class's text ("七年级(2)班", "初一2班"): 1..12, or 0. */
int grade_in(const char *t)
{
    const char *g = strstr(t, "年级");
    if (g)
        return grade_parse(t, (size_t)(g - t) + strlen("年级"));
    if (!strncmp(t, "初", 3) || !strncmp(t, "高", 3))
        return grade_parse(t, 6);
    return 0;
}

/* A grid's mark: 0 present or blank, 1 an absence (*kind), -1 not a mark. */
int grid_mark(const char *t, int *kind)
{
    if (!*t || !strcmp(t, "✓") || !strcmp(t, "√") || !strcmp(t, "✔") || !strcmp(t, "v") ||
        !strcmp(t, "V") || !strcmp(t, "到") || !strcmp(t, "○") || !strcmp(t, "-"))
        return 0;
    if (!strcmp(t, "早"))
        t = "早退";
    *kind = vocab_parse(&absence_kinds, t);
    return *kind >= 0 ? 1 : -1;
}

void attendance_import_describe(const struct attendance_import_options *opt,
                                const struct attendance_import_summary *sum, struct buf *out)
{
    const char *shown = opt->name ? opt->name : opt->path;
    buf_addf(out, "%s考勤表 %s（%s）：读取 %ld 行，记入缺勤 %ld 条",
             opt->dry_run ? "检查了" : "已导入", shown,
             !strcmp(sum->shape, "grid") ? "班级月考勤表" : "每行一条缺勤", sum->rows_read,
             sum->absences);
    if (sum->replaced)
        buf_addf(out, "（其中改记已有的 %ld 条）", sum->replaced);
    if (sum->rows_rejected)
        buf_addf(out, "；拒绝 %ld 行（原因见拒绝行%s）", sum->rows_rejected,
                 opt->rejects_path ? "文件" : "列表");
    if (sum->warnings_opened)
        buf_addf(out, "；新发出考勤预警 %ld 条", sum->warnings_opened);
    if (sum->warning_tasks)
        buf_addf(out, "；连续旷课达到疑似辍学的 %ld 人已报乡镇核查", sum->warning_tasks);
    if (opt->dry_run)
        buf_adds(out, "；没有保存");
}

json_t *attendance_import_json(const struct attendance_import_options *opt,
                               const struct attendance_import_summary *sum)
{
    return json_pack("{s:o, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:b}", "import_id",
                     sum->import_id ? json_integer(sum->import_id) : json_null(), "shape",
                     sum->shape, "rows_read", (json_int_t)sum->rows_read, "absences",
                     (json_int_t)sum->absences, "replaced", (json_int_t)sum->replaced,
                     "rows_rejected", (json_int_t)sum->rows_rejected, "warnings_opened",
                     (json_int_t)sum->warnings_opened, "warning_tasks",
                     (json_int_t)sum->warning_tasks, "dry_run", opt->dry_run);
}
