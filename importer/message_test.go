package importer

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/reliefmesh/reliefmesh/relief"
)

// it writes an item as "name qty unit" ("name ? unit" without a quantity),
// to compare drafts compactly.
func itemString(it relief.Item) string {
	q := "?"
	if it.Needed != nil {
		q = fmt.Sprint(*it.Needed)
	}
	s := it.Name + " " + q
	if it.Unit != "" {
		s += " " + it.Unit
	}
	return s
}

func contactString(c relief.Contact) string {
	return strings.TrimSpace(c.Role + " " + c.Name + " " + c.Phone)
}

func TestParseMessage(t *testing.T) {
	for _, tc := range []struct {
		name     string
		msg      string
		org      string
		address  string
		district string
		contacts []string
		items    []string
		urgency  relief.Urgency
		category string
		problems []string // fields of the problems expected, in order
	}{{
		name:     "issue example",
		msg:      "武汉市第一医院急需N95口罩5000个，防护服200套，联系人王老师 13800000000，地址：武汉市江汉区解放大道1277号",
		org:      "武汉市第一医院",
		address:  "武汉市江汉区解放大道1277号",
		district: "江汉区",
		contacts: []string{"王老师 +8613800000000"},
		items:    []string{"N95口罩 5000 个", "防护服 200 套"},
		urgency:  relief.UrgencyHigh,
		category: "protective_equipment",
	}, {
		name: "lines, numbered list, 万 and a decimal list marker",
		msg: "【求助】火神山医院\n需要：\n1. 医用外科口罩 2万只\n2. 护目镜 500副；3.84消毒液100瓶\n" +
			"联系人：李医生\n电话：（+86）139 0000 0000\n地址：武汉市蔡甸区知音湖大道",
		org:      "火神山医院",
		address:  "武汉市蔡甸区知音湖大道",
		district: "蔡甸区",
		contacts: []string{"李医生 +8613900000000"},
		items:    []string{"医用外科口罩 20000 只", "护目镜 500 副", "84消毒液 100 瓶"},
		category: "protective_equipment",
	}, {
		name:     "quantity before the name, 、 and Chinese numerals, 告急",
		msg:      "汉口医院物资告急！需要5000个N95口罩、两万只外科口罩、三百套防护服。请联系设备科张老师13912345678",
		org:      "汉口医院",
		contacts: []string{"设备科 张老师 +8613912345678"},
		items:    []string{"N95口罩 5000 个", "外科口罩 20000 只", "防护服 300 套"},
		urgency:  relief.UrgencyCritical,
		category: "protective_equipment",
	}, {
		name: "English with thousands separators and a comma address",
		msg: "Wuhan Union Hospital urgently needs 5,000 N95 masks, 200 coveralls and goggles. " +
			"Contact: Dr. Zhang +86 138 1111 2222. Address: 1277 Jiefang Avenue, Jianghan District, Wuhan",
		org:      "Wuhan Union Hospital",
		address:  "1277 Jiefang Avenue, Jianghan District, Wuhan",
		contacts: []string{"Dr. Zhang +8613811112222"},
		items:    []string{"N95 masks 5000", "coveralls 200", "goggles ?"},
		urgency:  relief.UrgencyHigh,
		category: "protective_equipment",
	}, {
		name:     "labelled organisation, semicolons, items without quantities",
		msg:      "需求单位：江夏区第一人民医院；物资：护目镜、鞋套、医用手套；联系方式：刘主任 027-87654321",
		org:      "江夏区第一人民医院",
		district: "江夏区",
		contacts: []string{"刘主任 +862787654321"},
		items:    []string{"护目镜 ?", "鞋套 ?", "医用手套 ?"},
		category: "protective_equipment",
	}, {
		name:     "mixed Chinese and English, name glued after the number, k multiplier",
		msg:      "Jinyintan Hospital 需要 KN95 2k pcs; 84消毒液 50 桶\n联系 13700001111 陈医生\naddress: 武汉市东西湖区银潭路1号",
		org:      "Jinyintan Hospital",
		address:  "武汉市东西湖区银潭路1号",
		district: "东西湖区",
		contacts: []string{"陈医生 +8613700001111"},
		items:    []string{"KN95 2000 pcs", "84消毒液 50 桶"},
		category: "protective_equipment",
	}, {
		name:     "missing organisation, contact and address",
		msg:      "急需：方便面100箱，矿泉水200箱",
		items:    []string{"方便面 100 箱", "矿泉水 200 箱"},
		urgency:  relief.UrgencyHigh,
		category: "food_water",
		problems: []string{"org", "contacts"},
	}, {
		name:     "only a contact",
		msg:      "有需要请联系王老师13800000000",
		contacts: []string{"王老师 +8613800000000"},
		problems: []string{"org", "items"},
	}, {
		name:     "an item the catalog does not know, kept; dates and hours are no quantities",
		msg:      "青山区某社区2月3日前需要成人纸尿裤300包，18:00前送到。地址：青山区和平大道",
		org:      "青山区某社区",
		address:  "青山区和平大道",
		district: "青山区",
		items:    []string{"成人纸尿裤 300 包"},
		category: "other",
		problems: []string{"items", "contacts"},
	}, {
		name:     "name before an unlabelled number, quantities glued without units, wrong phone",
		msg:      "协和医院西院 口罩5000防护服200\n联系人 赵老师 1380000",
		org:      "协和医院西院",
		contacts: []string{"赵老师 1380000"},
		items:    []string{"口罩 5000", "防护服 200"},
		category: "protective_equipment",
		problems: []string{"items", "contacts"}, // 口罩 alone is no catalog item: which mask?
	}, {
		name:     "empty",
		msg:      " \n\u200b",
		problems: []string{"org", "items", "contacts"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			d, probs := ParseMessage(tc.msg)
			var items, contacts, fields []string
			for _, it := range d.Items {
				items = append(items, itemString(it))
			}
			for _, c := range d.Contacts {
				contacts = append(contacts, contactString(c))
			}
			for _, p := range probs {
				fields = append(fields, p.Field)
			}
			check := func(what string, got, want any) {
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("ParseMessage(%q).%s = %v; want %v", tc.msg, what, got, want)
				}
			}
			check("Org", d.Org, tc.org)
			check("Address", d.Address, tc.address)
			check("District", d.District, tc.district)
			check("Contacts", contacts, tc.contacts)
			check("Items", items, tc.items)
			check("Urgency", d.Urgency, tc.urgency)
			check("Category", d.Category, tc.category)
			check("problems", fields, tc.problems)
			if t.Failed() {
				t.Logf("draft %+v\nproblems %v", d, probs)
			}
		})
	}
}

func TestParseMessageTitle(t *testing.T) {
	for _, tc := range []struct{ msg, want string }{
		{"武汉市第一医院急需N95口罩5000个，防护服200套", "武汉市第一医院：N95口罩、防护服"},
		{"Wuhan Union Hospital needs 5000 N95 masks, 200 coveralls, goggles, gloves", "Wuhan Union Hospital: N95 masks, coveralls, goggles …"},
		{"需要矿泉水200箱", "矿泉水"},
	} {
		if d, _ := ParseMessage(tc.msg); d.Title != tc.want {
			t.Errorf("ParseMessage(%q).Title = %q; want %q", tc.msg, d.Title, tc.want)
		}
	}
}

func TestHanNumber(t *testing.T) {
	for in, want := range map[string]float64{"一": 1, "十": 10, "十五": 15, "三百五十": 350, "两万": 20000, "一万五千": 15000, "五千": 5000, "十万": 100000} {
		if got, ok := hanNumber(in); !ok || got != want {
			t.Errorf("hanNumber(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
}

// TestParseMessageLong: a message over MaxMessageLen is cut at a character
// boundary and reported.
func TestParseMessageLong(t *testing.T) {
	msg := "武汉市第一医院急需N95口罩5000个，" + strings.Repeat("口", MaxMessageLen)
	d, probs := ParseMessage(msg)
	if d.Org != "武汉市第一医院" || len(probs) == 0 || probs[0].Field != "" {
		t.Errorf("ParseMessage(long) = %+v, %v; want the organisation and a problem for the length", d.Org, probs)
	}
}

// FuzzParseMessage: any text gives a draft without panicking, with valid
// UTF-8 and quantities that are finite and not negative.
func FuzzParseMessage(f *testing.F) {
	for _, s := range []string{
		"武汉市第一医院急需N95口罩5000个，防护服200套，联系人王老师 13800000000，地址：武汉市江汉区解放大道1277号",
		"【求助】火神山医院\n需要：\n1. 医用外科口罩 2万只\n2. 护目镜 500副；3.84消毒液100瓶",
		"Wuhan Union Hospital urgently needs 5,000 N95 masks, 200 coveralls and goggles. Contact: Dr. Zhang +86 138 1111 2222.",
		"需要5000个N95口罩、两万只外科口罩、三百套防护服", "地址：", "联系人：", "单位：", "1.", "9999999999999999999999999999万个口罩",
		"口罩1e400个", "x5000", "3.", "万万万万个",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, msg string) {
		d, probs := ParseMessage(msg)
		for _, s := range []string{d.Title, d.Org, d.Address, d.District, d.Notes} {
			if !utf8.ValidString(s) {
				t.Fatalf("ParseMessage(%q) gives invalid UTF-8 %q", msg, s)
			}
		}
		for _, it := range d.Items {
			if it.Name == "" {
				t.Fatalf("ParseMessage(%q) gives an item without a name", msg)
			}
			if it.Needed != nil && (math.IsInf(*it.Needed, 0) || math.IsNaN(*it.Needed) || *it.Needed < 0) {
				t.Fatalf("ParseMessage(%q) gives quantity %v", msg, *it.Needed)
			}
		}
		for _, p := range probs {
			if p.File != MessageFile {
				t.Fatalf("ParseMessage(%q) problem %v names another file", msg, p)
			}
		}
	})
}
