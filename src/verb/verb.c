/* The rows of the state-changing actions and what every front end does with one alike
 * (verb/verb.h). */
#include "verb/verb.h"

#include "util/common.h"
#include "util/fieldtext.h"

const struct verb *verb_find(const char *name)
{
    for (size_t i = 0; verbs[i]; i++)
        if (!strcmp(verbs[i]->name, name))
            return verbs[i];
    return NULL;
}

const struct verb *verb_find_sub(const char *cmd, const char *sub)
{
    size_t n = strlen(cmd);
    for (size_t i = 0; verbs[i]; i++) {
        const char *name = verbs[i]->name;
        if (!strncmp(name, cmd, n) && name[n] == '.' && !strcmp(name + n + 1, sub))
            return verbs[i];
    }
    return NULL;
}

const struct verb_field *verb_field(const struct verb *v, const char *key, size_t len)
{
    for (size_t i = 0; i < v->nfields; i++)
        if (strlen(v->fields[i].key) == len && !memcmp(v->fields[i].key, key, len))
            return &v->fields[i];
    return NULL;
}

const char **verb_text(const struct verb_field *f, void *in)
{
    return (const char **)((char *)in + f->offset);
}

bool *verb_flag(const struct verb_field *f, void *in)
{
    return (bool *)((char *)in + f->offset);
}

/* Nothing but spaces (ASCII or the ideographic U+3000) */
static bool blank(const char *t)
{
    while (t && *t) {
        if (*t == ' ' || *t == '\t' || *t == '\r' || *t == '\n')
            t++;
        else if (!strncmp(t, "\xe3\x80\x80", 3))
            t += 3;
        else
            return false;
    }
    return true;
}

int verb_check(const struct verb *v, const void *in, struct outcome *o)
{
    for (size_t i = 0; i < v->nfields; i++) {
        const struct verb_field *f = &v->fields[i];
        if (f->flags & VF_FLAG)
            continue;
        const char *t = *verb_text(f, (void *)in);
        /* a field only the command line gives is its adapter's to require; a password of
         * spaces is the library's to judge (it says why) */
        bool missing = f->type == VT_SECRET ? !t || !*t : blank(t);
        if ((f->flags & VF_REQUIRED) && !(f->flags & VF_CLI) && missing)
            return failed_at(o, OUT_INVALID, f->key, "缺少%s", f->label);
        /* one line of a sensible length, or prose */
        enum text_kind kind = f->type == VT_NAME                            ? TEXT_NAME
                              : f->type == VT_PROSE || (f->flags & VF_LIST) ? TEXT_NOTE
                                                                            : TEXT_LINE;
        if (f->type != VT_SECRET && text_check(f->label, t, kind, o) < 0) {
            o->field = f->key;
            return -1;
        }
    }
    return v->check ? v->check(in, o) : 0;
}

int verb_run(const struct verb *v, struct verb_call *c, const void *in, struct outcome *o)
{
    if (verb_check(v, in, o) < 0)
        return -1;
    return v->run(c, in, o);
}

void verb_call_release(struct verb_call *c)
{
    buf_release(&c->msg);
    buf_release(&c->warning);
    json_decref(c->result);
    c->result = NULL;
}

void verb_option_name(const char *key, char *out, size_t size)
{
    size_t n = 0;
    if (size < 3) {
        if (size)
            out[0] = '\0';
        return;
    }
    out[n++] = '-';
    out[n++] = '-';
    for (; *key && n + 1 < size; key++)
        out[n++] = *key == '_' ? '-' : *key;
    out[n] = '\0';
}
