package relief

// KindNetwork is the record of the network itself (one incident); its id is the
// network id. FieldName is the incident's name: any member may set it; the last
// writer wins. FieldReviewWithin, FieldPublishWithin, FieldClaimWithin and
// FieldAnswerWithin are the reply-by settings (see Deadlines and
// NetworkDeadlines): only a coordinator's write of them counts.
const KindNetwork = "network"

func init() {
	kinds[KindNetwork] = kindSpec{fields: map[string]func([]byte) error{
		FieldName:           text(MaxOrg),
		FieldReviewWithin:   minutes,
		FieldPublishWithin:  minutes,
		FieldClaimWithin:    minutes,
		FieldAnswerWithin:   minutes,
		FieldFollowUpWithin: minutes,
		FieldTransferWithin: minutes,
		FieldRecheckWithin:  minutes,
	}}
}
