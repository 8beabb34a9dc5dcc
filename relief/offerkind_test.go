package relief

import "testing"

func TestOfferKindOf(t *testing.T) {
	masks := []Item{{Name: "口罩类产能"}}
	tests := []struct {
		name string
		o    Offer
		want OfferKind
	}{
		{"hotel chain", Offer{Supplier: "城市便捷武汉六渡桥地铁站店"}, OfferKindHotel},
		{"hotel", Offer{Supplier: "如家酒店武汉大学广埠屯地铁站店"}, OfferKindHotel},
		{"serviced flats", Offer{Supplier: "武汉大陆坊自如驿"}, OfferKindHotel},
		{"hotel named after a hospital", Offer{Supplier: "汉庭酒店协和医院店"}, OfferKindHotel},
		{"English hotel", Offer{Supplier: "Wuhan Garden Hotel"}, OfferKindHotel},
		{"courier", Offer{Supplier: "申通快递"}, OfferKindLogistics},
		{"carrier", Offer{Supplier: "顺丰集团"}, OfferKindLogistics},
		{"freight platform", Offer{Supplier: "货拉拉"}, OfferKindLogistics},
		{"factory with capacity", Offer{Supplier: "日照三奇医疗卫生用品有限公司", Items: masks}, OfferKindSupplies},
		{"test kits", Offer{Supplier: "上海伯杰医疗科技有限公司", Items: []Item{{Name: "检测产品类产能"}}}, OfferKindSupplies},
		{"online hospital", Offer{Supplier: "银川大象医生互联网医院"}, OfferKindClinic},
		{"counselling", Offer{Supplier: "北京师范大学心理学部"}, OfferKindClinic},
		{"health platform", Offer{Supplier: "阿里健康"}, OfferKindClinic},
		{"name says nothing", Offer{Supplier: "快手"}, OfferKindOther},
		{"a kind tag wins", Offer{Supplier: "快手", Tags: []string{"imported", "kind:clinic"}}, OfferKindClinic},
		{"an unknown kind tag is ignored", Offer{Supplier: "顺丰集团", Tags: []string{"kind:spaceship"}}, OfferKindLogistics},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := OfferKindOf(tt.o); got != tt.want {
				t.Errorf("OfferKindOf(%s) = %s; want %s", tt.o.Supplier, got, tt.want)
			}
		})
	}
}
