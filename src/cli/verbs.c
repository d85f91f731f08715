/* The command line's one adapter for every action row (verb/verb.h): the options come from
 * the row's fields, the usage from its labels, the answer from its outcome. */
#include "cli/verbs.h"

#include "core/words.h"

#include "cli/common.h"
#include "cli/opt.h"
#include "domain/session.h"
#include "store/store.h"
#include "util/common.h"

#include <sodium.h>

#define VERB_ARGS_MAX 8

/* One line of `f` (without its end) into `out`. */
static void read_line(FILE *f, struct buf *out)
{
    int ch;
    while ((ch = getc(f)) != EOF && ch != '\n')
        buf_addch(out, ch);
    if (out->len && out->buf[out->len - 1] == '\r')
        buf_setlen(out, out->len - 1);
}

/* What a command line may do: the county's whole reach, as the database's own operator. */
static struct scope cli_scope(void)
{
    return (struct scope){.user = cli_actor(), .origin = "cli", .role = ROLE_ADMIN};
}

/* An option's help: the placeholder already says the label ("--kind 名单类型"), so a value's
 * help is what to write (and whether it must be given); a flag's says what it is. */
static void help_of(struct buf *b, const struct verb_field *f)
{
    bool value = !(f->flags & VF_FLAG) && f->type != VT_SECRET;
    bool words = f->type == VT_WORD && f->vocab && !f->hint;
    if (!value)
        buf_adds(b, f->label);
    if (f->flags & VF_REQUIRED)
        buf_adds(b, !value ? "（必填）" : f->hint || words ? "必填；" : "必填");
    if (f->hint)
        buf_addf(b, "%s%s", value ? "" : "：", f->hint);
    for (size_t i = 0; words && i < f->vocab->n; i++)
        buf_addf(b, "%s%s", i ? "、" : "", f->vocab->words[i].label);
    if (value && !b->len)
        buf_adds(b, f->label); /* (a help is never empty: an empty one hides the option) */
}

void cli_verb_usage(const struct verb *v, struct buf *out)
{
    const char *dot = strchr(v->name, '.');
    if (dot)
        buf_addf(out, "baoxue %.*s %s", (int)(dot - v->name), v->name, dot + 1);
    else
        buf_addf(out, "baoxue %s", v->name); /* a command of its own ("baoxue import") */
    if (v->target != VTG_NONE)
        buf_addf(out, " %s", v->target_label);
    if (v->flags & VERB_FILE_IN)
        buf_adds(out, " 文件");
    for (size_t i = 0; i < v->nfields; i++)
        if (v->fields[i].flags & VF_POSITIONAL)
            buf_addf(out, (v->fields[i].flags & VF_MAY_OMIT) ? " [%s]" : " %s", v->fields[i].label);
    for (size_t i = 0; i < v->nfields; i++) {
        const struct verb_field *f = &v->fields[i];
        char name[96];
        if (!(f->flags & VF_REQUIRED) || (f->flags & (VF_POSITIONAL | VF_GENERATE | VF_HTTP)))
            continue;
        verb_option_name(f->key, name, sizeof(name));
        if (f->type == VT_SECRET)
            buf_addf(out, " %s-stdin", name);
        else if (f->flags & VF_FLAG)
            buf_addf(out, " %s", name);
        else
            buf_addf(out, " %s %s", name, f->label);
    }
    if (v->flags & VERB_FILE_OUT)
        buf_adds(out, " -o 文件");
    buf_adds(out, " [选项]");
}

int cli_verb(const struct verb *v, int argc, char **argv)
{
    return cli_verb_more(v, argc, argv, NULL);
}

int cli_verb_more(const struct verb *v, int argc, char **argv, const char *const *more)
{
    void *in = xcalloc(1, v->size);
    const char *out = NULL;
    bool no_progress = false;
    size_t cap = v->nfields * 2 + 5, n = 0;
    struct opt_list *lists = xcalloc(v->nfields, sizeof(*lists));
    struct buf *joined = xcalloc(v->nfields, sizeof(*joined));
    struct opt *rows = xcalloc(cap, sizeof(*rows));
    struct buf *helps = xcalloc(v->nfields, sizeof(*helps));
    char **names = xcalloc(v->nfields * 2, sizeof(*names));
    size_t nnames = 0;
    bool *from_stdin = xcalloc(v->nfields, sizeof(*from_stdin));
    for (size_t i = 0; i < v->nfields; i++) {
        const struct verb_field *f = &v->fields[i];
        char name[96];
        verb_option_name(f->key, name, sizeof(name));
        buf_init(&helps[i], 0);
        help_of(&helps[i], f);
        if (f->flags & (VF_POSITIONAL | VF_HTTP))
            continue; /* an argument, not an option; or nothing the command line gives */
        if (f->type == VT_SECRET) {
            /* never on the command line, where others see it: one line of standard input */
            names[nnames] = xstrfmt("%s-stdin", name + 2);
            buf_addf(&helps[i], "；从标准输入读一行%s",
                     f->flags & VF_GENERATE ? "，不加时生成一个并显示一次" : "");
            rows[n++] = (struct opt)OPT_BOOL(0, names[nnames++], &from_stdin[i], helps[i].buf);
            continue;
        }
        names[nnames] = xstrdup(name + 2);
        if (f->flags & VF_FLAG)
            rows[n++] = (struct opt)OPT_BOOL(0, names[nnames], verb_flag(f, in), helps[i].buf);
        else if (f->flags & VF_LIST)
            rows[n++] = (struct opt)OPT_LIST(0, names[nnames], &lists[i], f->label, helps[i].buf);
        else
            rows[n++] =
                (struct opt)OPT_STRING(0, names[nnames], verb_text(f, in), f->label, helps[i].buf);
        nnames++;
        if (f->alias) {
            names[nnames] = xstrdup(f->alias);
            /* the older spelling is accepted and not advertised */
            rows[n] = rows[n - 1];
            rows[n].long_name = names[nnames++];
            rows[n++].help = NULL;
        }
    }
    if (v->flags & VERB_FILE_OUT)
        rows[n++] = (struct opt)OPT_STRING('o', "output", &out, "文件", "写入的文件（必填）");
    if (v->flags & VERB_JOB)
        rows[n++] = (struct opt)OPT_BOOL(0, "no-progress", &no_progress, "不显示进度条");
    rows[n++] = (struct opt)OPT_INCLUDE(cli_db_opts);
    rows[n++] = (struct opt)OPT_END();

    /* the row's form, the command's other forms, then the row's summary and the command's
     * description */
    struct buf line = BUF_INIT;
    cli_verb_usage(v, &line);
    size_t nmore = 0, forms = 0;
    while (more && more[nmore])
        nmore++;
    while (forms < nmore && *more[forms])
        forms++;
    const char **usage = xcalloc(nmore + 4, sizeof(*usage));
    size_t nu = 0;
    usage[nu++] = line.buf;
    for (size_t i = 0; i < forms; i++)
        usage[nu++] = more[i];
    usage[nu++] = "";
    usage[nu++] = v->summary;
    for (size_t i = forms + (forms < nmore); i < nmore; i++)
        usage[nu++] = more[i];
    argc = opt_parse(argc, argv, rows, usage, 0);
    for (size_t i = 0; i < v->nfields; i++) {
        if (!lists[i].n)
            continue;
        buf_init(&joined[i], 0);
        for (int k = 0; k < lists[i].n; k++)
            buf_addf(&joined[i], "%s%s", k ? "\n" : "", lists[i].v[k]);
        *verb_text(&v->fields[i], in) = joined[i].buf;
    }

    int exit_code = EXIT_INPUT;
    struct verb_call c = {.actor = cli_actor()};
    struct scope sc = cli_scope();
    c.scope = &sc;
    /* the arguments: the target, the file, then the positional fields in order */
    const char *wants[VERB_ARGS_MAX];
    size_t nwant = 0;
    if (v->target != VTG_NONE)
        wants[nwant++] = v->target_label;
    if (v->flags & VERB_FILE_IN)
        wants[nwant++] = "文件";
    /* a positional field the row lets the command line leave off (VF_MAY_OMIT, the last) */
    size_t nmin = nwant;
    for (size_t i = 0; i < v->nfields && nwant < VERB_ARGS_MAX; i++)
        if (v->fields[i].flags & VF_POSITIONAL) {
            wants[nwant++] = v->fields[i].label;
            if (!(v->fields[i].flags & VF_MAY_OMIT))
                nmin = nwant;
        }
    if ((size_t)argc - 1 < nmin)
        opt_die(rows, usage, "缺少%s", wants[argc - 1]);
    if ((size_t)argc - 1 > nwant)
        opt_die(rows, usage, "多余的参数“%s”", argv[nwant + 1]);
    int at = 1;
    if (v->target == VTG_ID) {
        char *end;
        long long id = strtoll(argv[at], &end, 10);
        if (*end || id <= 0 || argv[at][0] < '0' || argv[at][0] > '9')
            opt_die(rows, usage, "%s“%s”无效，应为正整数", v->target_label, argv[at]);
        c.id = id;
        at++;
    } else if (v->target != VTG_NONE) {
        c.name = argv[at++];
    }
    if (v->flags & VERB_FILE_IN)
        c.in_path = c.in_name = argv[at++];
    for (size_t i = 0; i < v->nfields && at < argc; i++)
        if (v->fields[i].flags & VF_POSITIONAL)
            *verb_text(&v->fields[i], in) = argv[at++];
    /* secrets: read, or made and shown once */
    struct buf secret = BUF_INIT;
    const struct verb_field *made = NULL;
    for (size_t i = 0; i < v->nfields; i++) {
        const struct verb_field *f = &v->fields[i];
        if (f->type != VT_SECRET)
            continue;
        if (from_stdin[i]) {
            read_line(stdin, &secret);
        } else if (f->flags & VF_GENERATE) {
            char tok[TOKEN_HEX + 1];
            token_new(tok);
            buf_add(&secret, tok, 16);
            made = f;
        }
        if (from_stdin[i] || secret.len)
            *verb_text(f, in) = secret.buf; /* (an empty line: refused as missing) */
        break;                              /* (one secret a row) */
    }
    if ((v->flags & VERB_FILE_OUT) && (!out || !*out))
        opt_die(rows, usage, "缺少输出文件（-o 文件）");
    c.out_path = out;

    /* what only the command line gives (the server takes it from the session) */
    for (size_t i = 0; i < v->nfields; i++) {
        const struct verb_field *f = &v->fields[i];
        if ((f->flags & (VF_CLI | VF_REQUIRED)) == (VF_CLI | VF_REQUIRED) &&
            !(f->flags & VF_FLAG) && !*verb_text(f, in)) {
            struct outcome o = OUTCOME_INIT;
            failed_at(&o, OUT_INVALID, f->key, "缺少%s", f->label);
            exit_code = cli_failed(&o);
            outcome_release(&o);
            goto done;
        }
    }
    struct store *s = cli_open_store(cli_db, &exit_code);
    if (s) {
        struct outcome o = OUTCOME_INIT;
        struct cli_bar bar;
        c.s = s;
        if (v->flags & VERB_JOB)
            c.progress = cli_bar_start(&bar, !no_progress);
        int rc = verb_run(v, &c, in, &o);
        if (v->flags & VERB_JOB)
            cli_bar_end(&bar);
        if (rc == 0) {
            if (c.msg.len)
                printf("%s%s", c.msg.buf, made ? "" : "\n");
            if (made)
                printf("，%s：%s（只显示这一次，请转交本人并要求修改）\n", made->label, secret.buf);
            if (c.out_path)
                printf("已写入 %s\n", c.out_path);
            exit_code = EXIT_OK;
            if (c.warning.len) {
                warning("%s", c.warning.buf);
                exit_code = EXIT_RUNTIME;
            }
        } else {
            exit_code = cli_failed(&o);
        }
        outcome_release(&o);
        store_close(s);
    }
done:
    verb_call_release(&c);
    sodium_memzero(secret.buf, secret.len);
    buf_release(&secret);
    free(from_stdin);
    free(usage);
    buf_release(&line);
    for (size_t i = 0; i < v->nfields; i++) {
        opt_list_release(&lists[i]);
        buf_release(&joined[i]);
    }
    free(lists);
    free(joined);
    for (size_t i = 0; i < v->nfields; i++)
        buf_release(&helps[i]);
    for (size_t i = 0; i < nnames; i++)
        free(names[i]);
    free(names);
    free(helps);
    free(rows);
    free(in);
    return exit_code;
}
