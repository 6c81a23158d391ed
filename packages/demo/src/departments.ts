import type { Rng } from './prng.ts';
import type { DemoDepartment } from './types.ts';
import { landline, personName } from './names.ts';

export const REGION_CODE = '610103';
export const CITY_REGION_CODE = '610100';

interface DeptSpec {
  code: string;
  name: string;
  shortName: string;
  /** Fields of competence (专业领域) of this department's inspectors. */
  fields: string[];
  inspectors: number;
}

/** The 18 member units of the 碑林区 joint meeting; the lead first. */
export const DEPARTMENT_SPECS: readonly DeptSpec[] = [
  {
    code: 'SCJG',
    name: '西安市碑林区市场监督管理局',
    shortName: '区市场监管局',
    fields: [
      '食品',
      '特种设备',
      '药品',
      '医疗器械',
      '化妆品',
      '价格',
      '广告',
      '质量',
      '登记',
      '计量',
      '网络交易',
    ],
    inspectors: 60,
  },
  {
    code: 'JYJ',
    name: '西安市碑林区教育局',
    shortName: '区教育局',
    fields: ['教育', '校外培训'],
    inspectors: 10,
  },
  {
    code: 'GAFJ',
    name: '西安市公安局碑林分局',
    shortName: '公安碑林分局',
    fields: ['治安', '特种行业'],
    inspectors: 12,
  },
  {
    code: 'STHJ',
    name: '西安市生态环境局碑林分局',
    shortName: '生态环境碑林分局',
    fields: ['环保'],
    inspectors: 8,
  },
  {
    code: 'JMJ',
    name: '西安市碑林区经济贸易局（西安市碑林区交通运输局）',
    shortName: '区经贸局（区交通运输局）',
    fields: ['交通', '商务'],
    inspectors: 10,
  },
  {
    code: 'WLTJ',
    name: '西安市碑林区文化和旅游体育局',
    shortName: '区文化和旅游体育局',
    fields: ['文化市场', '旅游', '体育'],
    inspectors: 10,
  },
  { code: 'TJJ', name: '西安市碑林区统计局', shortName: '区统计局', fields: ['统计'], inspectors: 6 },
  {
    code: 'CGJ',
    name: '西安市碑林区城市管理和综合执法局',
    shortName: '区城管局',
    fields: ['城市管理', '市容环卫'],
    inspectors: 12,
  },
  {
    code: 'RSJ',
    name: '西安市碑林区人力资源和社会保障局',
    shortName: '区人社局',
    fields: ['劳动保障', '人力资源市场'],
    inspectors: 8,
  },
  { code: 'SFJ', name: '西安市碑林区司法局', shortName: '区司法局', fields: ['法律服务'], inspectors: 5 },
  {
    code: 'ZFB',
    name: '西安市碑林区人民政府办公室',
    shortName: '区政府办',
    fields: ['地方金融'],
    inspectors: 5,
  },
  {
    code: 'WJJ',
    name: '西安市碑林区卫生健康局',
    shortName: '区卫生健康局',
    fields: ['公共卫生', '医疗卫生', '食品'],
    inspectors: 10,
  },
  {
    code: 'YJJ',
    name: '西安市碑林区应急管理局',
    shortName: '区应急管理局',
    fields: ['安全生产', '危险化学品'],
    inspectors: 8,
  },
  {
    code: 'ZJJ',
    name: '西安市碑林区住房和建设局',
    shortName: '区住建局',
    fields: ['建筑市场', '房地产', '物业'],
    inspectors: 8,
  },
  { code: 'MZJ', name: '西安市碑林区民政局', shortName: '区民政局', fields: ['养老服务'], inspectors: 5 },
  {
    code: 'XFJY',
    name: '西安市碑林区消防救援大队',
    shortName: '区消防救援大队',
    fields: ['消防'],
    inspectors: 10,
  },
  {
    code: 'SWJ',
    name: '国家税务总局西安市碑林区税务局',
    shortName: '区税务局',
    fields: ['税务'],
    inspectors: 8,
  },
  {
    code: 'FGW',
    name: '西安市碑林区发展和改革委员会',
    shortName: '区发改委',
    fields: ['价格', '粮食流通'],
    inspectors: 5,
  },
];

export const CITY_LEAD: DeptSpec = {
  code: 'XASCJG',
  name: '西安市市场监督管理局',
  shortName: '市市场监管局',
  fields: [],
  inspectors: 0,
};

export function deptSpec(code: string): DeptSpec {
  const d =
    DEPARTMENT_SPECS.find((x) => x.code === code) ?? (code === CITY_LEAD.code ? CITY_LEAD : undefined);
  if (!d) throw new Error(`Invariant: unknown department ${code}`);
  return d;
}

export function generateDepartments(rng: Rng): DemoDepartment[] {
  const out: DemoDepartment[] = [
    {
      code: CITY_LEAD.code,
      name: CITY_LEAD.name,
      shortName: CITY_LEAD.shortName,
      level: 'city',
      parentCode: null,
      isLead: false,
      regionCode: CITY_REGION_CODE,
      contactName: personName(rng),
      contactPhone: landline(rng),
    },
  ];
  for (const d of DEPARTMENT_SPECS) {
    out.push({
      code: d.code,
      name: d.name,
      shortName: d.shortName,
      level: 'district',
      parentCode: d.code === 'SCJG' ? CITY_LEAD.code : null,
      isLead: d.code === 'SCJG',
      regionCode: REGION_CODE,
      contactName: personName(rng),
      contactPhone: landline(rng),
    });
  }
  return out;
}
