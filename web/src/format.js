// How values read in Chinese: dates as 2026年11月20日, statuses and roles by their labels.

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

/** The ten child statuses (src/domain/status.c): key → label and badge tone. */
export const STATUSES = {
  enrolled: { label: '本县在读', tone: 'ok' },
  enrolled_elsewhere: { label: '外出就读', tone: 'ok' },
  not_enrolled: { label: '适龄未入学', tone: 'bad' },
  dropped_out: { label: '辍学', tone: 'bad' },
  suspended: { label: '休学', tone: 'warn' },
  pending_review: { label: '疑似记录待复核', tone: 'warn' },
  completed: { label: '已完成义务教育', tone: 'muted' },
  not_yet_school_age: { label: '未到入学年龄', tone: 'muted' },
  beyond_age: { label: '超出义务教育年龄', tone: 'muted' },
  inactive: { label: '户籍非正常', tone: 'muted' },
};

export function statusLabel(key, fallback) {
  return (STATUSES[key] && STATUSES[key].label) || fallback || key || '—';
}

export const ROLES = {
  admin: '系统管理员', county: '县教育局', township: '乡镇', school: '学校', department: '部门', supervisor: '督导',
};

/** Verification and case stages the children list filters on (GET /children?stage=). */
export const STAGES = [
  { value: 'verify_open', label: '待核查' },
  { value: 'verify_outreach', label: '外联保学' },
  { value: 'verify_closed', label: '核查已办结' },
  { value: 'case_open', label: '劝返中' },
  { value: 'case_returned', label: '巩固回访中' },
  { value: 'case_closed', label: '已销号' },
];

/** The primary reasons of a case (src/casework/words.c). */
export const REASONS = [
  { value: 'learning', label: '学习困难/厌学' },
  { value: 'work', label: '外出打工' },
  { value: 'marriage', label: '早婚早育' },
  { value: 'religion', label: '信教' },
  { value: 'illness', label: '疾病残疾' },
  { value: 'poverty', label: '家庭经济困难' },
  { value: 'other', label: '其他' },
];
