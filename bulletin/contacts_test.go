package bulletin

import (
	"fmt"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
)

// TestTeamBulletinMasksContactsInOtherColumns: a demand imported before
// session 11 keeps its sheet's WeChat, QQ and e-mail columns and a remark
// with a phone as plain source fields, and ids written with their label in
// its description. Public and team bulletins printed the WeChat id, the QQ
// number (a run of ten digits after "QQ " was kept as a standard's number)
// and the e-mail address (failed on main); they mask them now, while the
// other source fields stay as written, and a restricted bulletin prints
// them.
func TestTeamBulletinMasksContactsInOtherColumns(t *testing.T) {
	ds := levelDemands()
	for i := range ds {
		ds[i].Description = "请加微信: wxid_desc9 或 QQ 2834567191，邮箱 desc9@example.net"
		ds[i].SourceFields = []relief.SourceField{
			{Column: "微信", Value: "wxid_zhang3"}, {Column: "QQ", Value: "2834567190"}, {Column: "邮箱", Value: "zhang3@example.org"},
			{Column: "Email", Value: "li4@example.com"}, {Column: "备注", Value: "联系王医生 13912345678"},
			{Column: "截止日期说明", Value: "2021-07-26 前 KEPT"},
		}
	}
	secrets := []string{"wxid_zhang3", "2834567190", "zhang3@example.org", "li4@example.com", "13912345678", "wxid_desc9", "2834567191", "desc9@example.net"}
	coordinator := relief.Member{Key: key(1), Role: relief.RoleCoordinator}
	volunteer := relief.Member{Key: key(2), Role: relief.RoleVolunteer}
	for _, tc := range []struct {
		level  relief.Level
		viewer relief.Member
	}{{relief.LevelPublic, relief.Member{}}, {relief.LevelTeam, volunteer}, {relief.LevelTeam, coordinator}} {
		for _, o := range formatsAt(tc.level, tc.viewer) {
			t.Run(fmt.Sprintf("%s/%s%s", tc.level, o.Format, o.Lang), func(t *testing.T) {
				out := render(t, ds, o)
				for _, s := range secrets {
					if strings.Contains(out, s) {
						t.Errorf("%s bulletin holds %q", tc.level, s)
					}
				}
				if tc.level == relief.LevelTeam && o.Format != "text" && !strings.Contains(out, "2021-07-26 前 KEPT") {
					t.Errorf("team bulletin lacks the source field that names no contact:\n%s", out)
				}
			})
		}
	}
	for _, o := range formatsAt(relief.LevelRestricted, coordinator) {
		if o.Format == "text" {
			continue // the text bulletin prints no source fields nor notes
		}
		out := render(t, ds, o)
		for _, s := range secrets {
			if !strings.Contains(out, s) {
				t.Errorf("restricted %s%s bulletin lacks %q", o.Format, o.Lang, s)
			}
		}
	}
}

// TestScrubMasksContactIDs: Scrub masks e-mail addresses and WeChat ids
// and QQ numbers after their label, and keeps the words around them.
func TestScrubMasksContactIDs(t *testing.T) {
	for in, want := range map[string]string{
		"微信: wxid_zhang3":        "微信: " + Masked,
		"加微信号abc_12345":          "加微信号" + Masked,
		"WeChat li4_wechat 联系":   "WeChat " + Masked + " 联系",
		"QQ 2834567190":          "QQ " + Masked,
		"QQ群：12345":              "QQ群：" + Masked,
		"邮箱 zhang3@example.org":  "邮箱 " + Masked,
		"mail me: a.b+c@x.co.uk": "mail me: " + Masked,
		"GB 19083-2010 口罩":       "GB 19083-2010 口罩",
	} {
		if got := Scrub(in); got != want {
			t.Errorf("Scrub(%q) = %q; want %q", in, got, want)
		}
	}
}
