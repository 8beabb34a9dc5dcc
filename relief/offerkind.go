package relief

import (
	"slices"
	"strings"
)

// OfferKind says what sort of help an offer is, for filtering the offers list;
// the UI translates it ("offers.kind.<kind>").
type OfferKind string

// Offer kinds. An offer records no kind of its own: OfferKindOf derives it.
const (
	OfferKindHotel     OfferKind = "hotel"     // rooms for medical staff and others
	OfferKindLogistics OfferKind = "logistics" // carriers, couriers, transport
	OfferKindClinic    OfferKind = "clinic"    // online consultations, hospitals, counselling
	OfferKindSupplies  OfferKind = "supplies"  // goods or production capacity (factories, donors)
	OfferKindOther     OfferKind = "other"     // none of the above could be told
)

// OfferKinds lists the kinds in the order the filter shows them.
var OfferKinds = []OfferKind{OfferKindSupplies, OfferKindHotel, OfferKindLogistics, OfferKindClinic, OfferKindOther}

// OfferKindTag is the prefix of a tag that states an offer's kind
// ("kind:hotel"); such a tag wins over every guess.
const OfferKindTag = "kind:"

// Words in a supplier's name that tell its kind, tried in this order (a hotel
// called 医院店, "the hospital branch", is a hotel); the clinic words only for
// an offer without items (a 医疗科技有限公司 listing test kits makes supplies).
// Matching is case-insensitive.
var offerKindWords = []struct {
	kind  OfferKind
	words []string
}{
	{OfferKindHotel, []string{"酒店", "宾馆", "旅馆", "饭店", "客栈", "公寓", "民宿", "自如驿", "城市便捷", "如家", "汉庭", "曼居", "hotel", "hostel"}},
	{OfferKindLogistics, []string{"物流", "快递", "速递", "速运", "快运", "运输", "货运", "运力", "邮政", "卡车", "货拉拉", "满帮", "智运",
		"顺丰", "宅急送", "天地华宇", "菜鸟", "百世", "传化", "logistic", "express", "courier", "freight", "transport"}},
	{OfferKindClinic, []string{"医院", "医生", "大夫", "问诊", "义诊", "诊所", "健康", "心理", "医疗", "医学", "医典", "中医", "卫生中心",
		"clinic", "doctor", "health", "hospital", "counsel"}},
}

// OfferKindOf derives the kind of o from its public fields: a "kind:" tag
// naming one of OfferKinds; else hotel or logistics by the words of its
// supplier's name; else supplies when it lists items; else clinic by the
// name; else other. It is a guess from names: an offer whose name says
// nothing (快手) is other.
func OfferKindOf(o Offer) OfferKind {
	for _, t := range o.Tags {
		if k, ok := strings.CutPrefix(t, OfferKindTag); ok && slices.Contains(OfferKinds, OfferKind(k)) {
			return OfferKind(k)
		}
	}
	name := strings.ToLower(o.Supplier)
	for _, kw := range offerKindWords {
		if kw.kind == OfferKindClinic && len(o.Items) > 0 {
			return OfferKindSupplies
		}
		for _, w := range kw.words {
			if strings.Contains(name, w) {
				return kw.kind
			}
		}
	}
	return OfferKindOther
}
