// How values read in Chinese: dates as 2026年11月20日, ages, numbers and shares. The labels of
// statuses, roles, states … come from the vocabularies (vocab.js), never from a table here.

function toDate(v) {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number') return new Date(v * 1000);          // Unix seconds from the API
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {                            // a calendar date: no time zone
    const [y, m, d] = v.split('-').map(Number);
    return new Date(y, m - 1, d);
  }
  const d = new Date(String(v).replace(' ', 'T'));
  return isNaN(d) ? null : d;
}

/** 2026年11月20日 */
export function fmtDate(v) {
  const d = toDate(v);
  return d ? `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日` : (v || '—');
}

/** 2026年11月20日 14:05 */
export function fmtDateTime(v) {
  const d = toDate(v);
  if (!d) return v || '—';
  const p = n => String(n).padStart(2, '0');
  return `${fmtDate(v)} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/**
 * A child's age on the cutoff of the school year (31 August by default): what a masked view
 * shows instead of the birth date (the server sends birth_date null then). 11 周岁（截至2026年8月31日）
 */
export function fmtAge(age, on) {
  if (age === null || age === undefined) return '年龄不明';
  return on ? `${age} 周岁（截至${fmtDate(on)}）` : `${age} 周岁`;
}

/** The birth date when the server sent one (a full read), else the age: 出生 2015年3月4日 · 11 周岁 */
export function fmtBirthOrAge(person, on) {
  return person.birth_date ? '出生 ' + fmtDate(person.birth_date) : fmtAge(person.age, on || person.age_on);
}

export function fmtNumber(n) {
  return n === null || n === undefined ? '—' : Number(n).toLocaleString('zh-CN');
}

export function fmtPercent(f, digits = 1) {
  return f === null || f === undefined ? '—' : (f * 100).toFixed(digits) + '%';
}

// A county's full name as the server gives it ("山西省晋城市沁水县", as data/ names the divisions)
// in its parts. A municipality's district (北京市东城区) and a county its province governs itself
// (河南省济源市) have no city. Checked against every county of data/areas.csv.
const PROVINCE = /^(?:北京市|天津市|上海市|重庆市|.+?(?:省|自治区))/;
const CITY = /^.+?(?:市|地区|自治州|盟)(?=.)/;

/** "山西省晋城市沁水县" → {province: '山西省', city: '晋城市', county: '沁水县'} */
export function divisionParts(full) {
  const name = full || '';
  const province = (PROVINCE.exec(name) || [''])[0];
  const rest = name.slice(province.length);
  const city = (CITY.exec(rest) || [''])[0];
  return { province, city, county: rest.slice(city.length) || name };
}

/**
 * The counties of a province's server ([{code, name}]) as a choice lists them: grouped by city
 * (the province, for a county with none; province and city when the list spans provinces), each
 * by its own name (沁水县), or with its city where another city of the list has a county of the
 * same name (晋城市城区, 阳泉市城区), or in full where that is not enough.
 */
export function countyChoices(counties) {
  const parts = counties.map(c => ({ ...c, ...divisionParts(c.name) }));
  const provinces = new Set(parts.map(p => p.province)).size;
  const groups = [];
  for (const p of parts) {
    const same = key => parts.filter(q => key(q) === key(p)).length;
    const label = same(q => q.county) === 1 ? p.county
      : same(q => q.city + q.county) === 1 ? p.city + p.county : p.name;
    const group = provinces > 1 ? p.province + p.city : p.city || p.province;
    let g = groups.find(x => x.label === group);
    if (!g) groups.push(g = { label: group, items: [] });
    g.items.push({ code: p.code, name: p.name, label });
  }
  return groups;
}
