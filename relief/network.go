package relief

// KindNetwork is the record of the network itself (one incident); its id is the
// network id and its one field is FieldName, the incident's name. Any member may
// set it; the last writer wins.
const KindNetwork = "network"

func init() {
	kinds[KindNetwork] = kindSpec{fields: map[string]func([]byte) error{FieldName: text(500)}}
}
