#ifndef BAOXUE_COUNTIES_H
#define BAOXUE_COUNTIES_H

#include <jansson.h>

#include "render/table.h"
#include "util/outcome.h"

struct progress;

/*
 * 各县控辍保学指标和排名: the counties that share one PostgreSQL database (domain/province.h)
 * under an area (a province's 2 digits, a city's 4; NULL or "" every registered county), each
 * county's indicators on as_of (report/indicators.h: computed on a connection to that county's
 * schema, as the county's own report computes them), ranked as the townships of a county are
 * ranked, with a total row for the area. Counts and rates only: no child is named.
 *
 * A county whose indicators cannot be read (a schema not yet migrated, an error), or that has
 * no cross-check on or before as_of (its rates have nothing to stand on), keeps its row, empty,
 * with the reason in its 说明, after the ranked ones; the others are still ranked. -1 with the
 * outcome: OUT_INVALID the area or a database that is not PostgreSQL, OUT_NOT_FOUND no registered
 * county in the area, OUT_ERROR the registry's store.
 *
 * pr (NULL: nobody watches) hears of each county as its reading starts, "正在计算 第 12/30
 * 个县：阳城县" with the share of the counties done, one report at a time whichever thread
 * reads the county (a background job's progress, report/counties_kept.h).
 */
int report_counties(const char *dsn, const char *area, int as_of, struct progress *pr,
                    struct report_table *t, struct outcome *o);

/* The name of an area (a province's 2 digits, a city's 4, a county's 6: 山西省晋城市) into name,
 * "" for NULL or "": -1 with OUT_INVALID (field area) when it is no such code or none the
 * division table knows. */
int counties_area_name(const char *area, char *name, size_t size, struct outcome *o);

/* The table report_counties made, kept by table_freeze, made again (render/table.h). */
int report_counties_thaw(const json_t *frozen, struct report_table *t);

/* 本库的县: the registered counties under an area (NULL all): code, name, schema, the day
 * each was added, and the DSN a county's own commands and server use (its password masked). */
int report_county_list(const char *dsn, const char *area, struct report_table *t,
                       struct outcome *o);

#endif
