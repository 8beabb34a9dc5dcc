package importer

// Extracted from OpenCC's data/dictionary/TSCharacters.txt (OpenCC
// 1.1, Apache License 2.0, https://github.com/BYVoid/OpenCC, as carried by
// github.com/longbridgeapp/opencc v0.3.13): every traditional character
// whose simplified form is a character of the header words in mapping.go
// (headerSynonyms, the probe words of fieldForHeader), its first
// simplified form when OpenCC gives several. A full converter (OpenCC's
// Go ports) was not taken: it registers a global command-line flag and
// carries 1.2 MB of dictionaries for some 80 characters used here. A new
// header word with a character not listed needs its traditional forms
// added (TestTraditionalHeaders lists the words a Big5 file uses).

// headerT2S maps a traditional character of a header word to its
// simplified form.
var headerT2S = map[rune]rune{
	'佈': '布', '來': '来', '係': '系', '個': '个', '備': '备', '傢': '家', '優': '优', '內': '内', '別': '别', '務': '务',
	'區': '区', '員': '员', '問': '问', '單': '单', '圍': '围', '實': '实', '審': '审', '對': '对', '廠': '厂', '彆': '别',
	'態': '态', '應': '应', '數': '数', '時': '时', '業': '业', '構': '构', '標': '标', '機': '机', '況': '况', '準': '准',
	'牀': '床', '狀': '状', '產': '产', '産': '产', '發': '发', '稱': '称', '箇': '个', '範': '范', '級': '级', '細': '细',
	'組': '组', '絡': '络', '網': '网', '緊': '紧', '縣': '县', '織': '织', '繫': '系', '義': '义', '聯': '联', '舘': '馆',
	'蓋': '盖', '號': '号', '覈': '核', '規': '规', '計': '计', '診': '诊', '註': '注', '話': '话', '詳': '详', '說': '说',
	'説': '说', '護': '护', '負': '负', '貨': '货', '責': '责', '資': '资', '賓': '宾', '質': '质', '贈': '赠', '進': '进',
	'遲': '迟', '郵': '邮', '醫': '医', '錶': '表', '鏈': '链', '鏡': '镜', '門': '门', '間': '间', '電': '电', '題': '题',
	'類': '类', '館': '馆', '髮': '发',
}

// simplifiedHeader returns header h with its traditional characters
// (headerT2S) in their simplified form: "聯繫電話" is "联系电话", as a
// header of a Big5 file from Hong Kong or Taiwan writes it. Other text is
// unchanged.
func simplifiedHeader(h string) string {
	changed := false
	out := []rune(h)
	for i, r := range out {
		if s, ok := headerT2S[r]; ok {
			out[i], changed = s, true
		}
	}
	if !changed {
		return h
	}
	return string(out)
}
