// The side-by-side workload: demand records shaped like the 2020 Wuhan sheets,
// the same fields and text as the Go side's (bench/workload.go: DemandFields).

const districts = ['江岸区', '江汉区', '硚口区', '汉阳区', '武昌区', '青山区', '洪山区', '东西湖区', '黄陂区', '新洲区'];
const categories = ['protective_equipment', 'medical_supplies', 'food_water', 'transport'];

// id returns a 26-character base32 id, like store.NewID (deterministic here).
export function id(i) {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let x = BigInt(i) * 2654435761n + 0x9e3779b97f4a7c15n;
  let s = '';
  for (let k = 0; k < 26; k++) {
    s += alphabet[Number(x & 31n)];
    x = (x >> 5n) ^ (x * 6364136223846793005n & 0xffffffffffffffffn);
  }
  return s;
}

// demand returns the i-th demand record (a plain object, ~600 B of JSON).
export function demand(i, author) {
  const d = districts[i % districts.length];
  const pad = String(i).padStart(8, '0');
  return {
    id: id(i),
    title: `${d}第${(i % 97) + 1}人民医院急需医用防护物资`,
    description: '发热门诊接诊量大，医护人员防护物资严重短缺，急需防护口罩、防护服和护目镜。',
    category: categories[i % 4],
    district: d,
    address: `武汉市${d}解放大道${100 + (i % 900)}号住院部${(i % 12) + 1}楼`,
    requester_org: `${d}第${(i % 97) + 1}人民医院`,
    items: [
      { name: '医用防护口罩 | N95口罩', spec: '符合GB19083', unit: '只', needed: 1000 + (i % 5000) },
      { name: '医用防护服', spec: '一次性', unit: '套', needed: 200 + (i % 300) },
      { name: '护目镜', unit: '个' },
    ],
    contacts: [{ name: '王医生', phone: `138${pad}`, role: '采购科' }],
    urgency: 'high',
    status: 'collected',
    created_by: author,
    created_at: 1580025600000 + i,
  };
}
