package main

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/bundle"
)

// The hub's human output (status, inbox, verify, bundle import, a carried
// release, the hints after an error) is in the language of --lang: zh-CN or
// en, by default zh-CN when the environment's locale (LC_ALL, LC_MESSAGES,
// LANG, the first set) starts with "zh", else en. --json output and logs
// stay English codes for scripts.
//
// The words are kept here as plain maps, as bulletin/labels.go keeps the
// bulletins' words: the hub says a few dozen sentences, Chinese has no
// plural forms and the English ones are written out, so a message library
// (nicksnyder/go-i18n) would add a dependency and files without saving
// work. The labels the UI also shows (inbox entries, refusal reasons,
// roles, statuses) are copies of the UI's (frontend/src/locales/*.json);
// TestHubLabelsMatchUI checks that they agree.

// Languages of --lang.
const (
	langZH = "zh-CN"
	langEN = "en"
)

// defaultLang returns the language of the environment's locale: zh-CN for
// a locale starting with "zh" (zh_CN.UTF-8, zh_TW, zh), else en.
func defaultLang(getenv func(string) string) string {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(k); v != "" {
			if strings.HasPrefix(strings.ToLower(v), "zh") {
				return langZH
			}
			return langEN
		}
	}
	return langEN
}

// checkLang returns lang normalised (zh, zh_CN, zh-cn → zh-CN; en, en_US →
// en), or an error naming the languages the hub speaks.
func checkLang(lang string) (string, error) {
	l := strings.ToLower(strings.ReplaceAll(lang, "_", "-"))
	switch {
	case l == "zh" || strings.HasPrefix(l, "zh-"):
		return langZH, nil
	case l == "en" || strings.HasPrefix(l, "en-"):
		return langEN, nil
	}
	// said in both: the language the person reads is what is wrong
	return "", fmt.Errorf("--lang %q：本程序只会说 zh-CN 和 en / the hub speaks zh-CN and en", lang)
}

// speaker says the hub's sentences in one language.
type speaker struct{ lang string }

// speakerOf returns the speaker of lang (en for anything but zh-CN).
func speakerOf(lang string) speaker {
	if lang != langZH {
		lang = langEN
	}
	return speaker{lang: lang}
}

// t returns the sentence key in the speaker's language (English for the
// zero speaker) with args filled in (fmt verbs); the key itself when there
// is no such sentence (a test checks that every key has both languages).
func (s speaker) t(key string, args ...any) string {
	words, ok := hubWords[s.lang]
	if !ok { // the zero speaker speaks English
		words = hubWords[langEN]
	}
	f, ok := words[key]
	if !ok {
		return key
	}
	return plurals(fmt.Sprintf(f, args...))
}

// label returns the UI's label of code in group (what, reason, role,
// status), or code itself when the UI has none.
func (s speaker) label(group, code string) string {
	lang := s.lang
	if _, ok := uiLabels[lang]; !ok {
		lang = langEN
	}
	if l, ok := uiLabels[lang][group][code]; ok {
		return l
	}
	return code
}

// lang returns --lang checked, or the environment's language without it.
func (g *globals) language() (string, error) {
	if g.lang == "" {
		return defaultLang(os.Getenv), nil
	}
	return checkLang(g.lang)
}

// speaker returns the speaker of --lang (the environment's language when
// --lang is bad: the error is said by the command).
func (g *globals) speaker() speaker {
	l, err := g.language()
	if err != nil {
		l = defaultLang(os.Getenv)
	}
	return speakerOf(l)
}

// hubWords are the hub's sentences by language and key.
var hubWords = map[string]map[string]string{
	langZH: {
		"err.nodevice":                  "%s 中没有 ReliefMesh 设备（那里没有 %s）：请检查 --data-dir，或用 `reliefmesh-hub init` 或 `reliefmesh-hub join` 创建一个",
		"err.inuse.serve":               "数据目录 %s 正被另一个进程使用（另一个枢纽，或桌面应用？）",
		"err.nonetwork.serve":           "还没有网络：请先运行 `reliefmesh-hub init --name 事件名称` 或 `reliefmesh-hub join 加入码`",
		"member":                        "%s  %s  %s，%s，自 %s 起%s",
		"member.first":                  "首位协调员",
		"member.by":                     "由 %s %s 背书",
		"member.revoked":                "  （已撤销）",
		"device":                        "本设备：  %s",
		"network.none":                  "网络：    尚无（reliefmesh-hub init --name 事件名称）",
		"network":                       "网络：    %s（%s）",
		"role":                          "角色：    %s",
		"revoked":                       " — 已撤销",
		"revoked.by":                    "，撤销人 %s",
		"revoked.at":                    "，撤销于 %s",
		"revoked.after":                 "（此后本设备的更改会被所有同伴拒绝）",
		"members":                       "成员：    %d",
		"demands":                       "需求：    %d",
		"offers":                        "供给：    %d",
		"feeds":                         "记录流：  %d",
		"refused":                       "已拒绝：  %s",
		"inbox.why":                     "        原因：%s（%s）",
		"storage.recovering":            "写入：    暂停——等待从同伴或同步包取回本设备最新的更改（原因：%s）；取回后自动恢复，或运行 reliefmesh-hub recover --resume",
		"storage.recovering.restored":   "写入：    暂停——等待从同伴取回本设备最新的更改（原因：%s；同步包不能结束这个等待，它可能比本设备最后的更改旧）；连上同伴（reliefmesh-hub serve）后自动恢复，或运行 reliefmesh-hub recover --resume",
		"storage.why.unclean":           "上次没有正常关闭",
		"storage.why.restored":          "损坏的数据已移到一旁",
		"storage.diskFull":              "磁盘：    空间不足——%[3]s 只剩 %[1]s，需要 %[2]s：腾出空间前不写入，已有数据照常提供",
		"storage.fork":                  "分叉：    本设备的更改记录从第 %d 条起出现两个不同版本（%s 起）：其他设备拒绝它此后的更改。请停止在本设备上写入，把数据目录移到一边（reliefmesh-hub recover）并重新加入网络",
		"storage.repaired":              "已修复：  打开时发现 %d 条记录与所存更改不符，已按更改重建（%s）；%d 条缺失的更改将从同伴取回",
		"waited":                        "等待过：  %d 条更改先于同一记录流中更早的更改到达，已等它们到齐（不是拒绝）",
		"held":                          "暂缓：    %d 条更改的时间早于本机时钟（最多超前 %s）：请检查本机的日期和时间",
		"hub.none":                      "枢纽：    未在运行（只有 `reliefmesh-hub serve` 运行时才知道同伴）",
		"hub.serving":                   "枢纽：    运行中，身份 %s",
		"hub.error":                     "错误：    %s（已不再为成员服务：请重启枢纽）",
		"hub.waiting.catchup":           "正在从成员同步：若已有成员为本设备背书，背书会随同步一起到达（可能在最后）；同步完成后仍显示“等待背书”，再请成员运行 `reliefmesh-hub endorse %s --role volunteer`",
		"hub.waiting":                   "等待背书：请一位成员运行 `reliefmesh-hub endorse %s --role volunteer`",
		"peers":                         "同伴：    %d",
		"peer.offline":                  "未连接",
		"peer.connected":                "已连接（%s）",
		"peer.unknown":                  "未知（尚未交换）",
		"peer.syncing.n":                "同步中 %d/%d",
		"peer.syncing":                  "同步中",
		"peer.synced":                   "已同步",
		"peer.lack":                     "我方缺 %d 条，对方缺 %d 条",
		"peer.last":                     "，上次交换 %s",
		"peer.instep":                   "，%s 核对时仍一致（双方已同步时，十轮才交换一次）",
		"peer.error":                    "，上次错误：%s",
		"inbox.empty":                   "没有等待本成员处理的事项",
		"inbox.nodue":                   "无截止时间",
		"inbox.overdue":                 "已逾期，截止于 %s",
		"inbox.due":                     "截止 %s",
		"verified":                      "已验证：%s",
		"notverified":                   "未通过验证：%s：%s",
		"verify.local":                  "也已对照本设备的成员名册检查",
		"verify.signer":                 "签署人：%s，%s",
		"verify.endorser":               "，\n  由 %s 背书，%s",
		"verify.founder":                "，\n  网络 %s 的创建者",
		"verify.at":                     "\n签署于 %s（签署人的时钟）",
		"verify.later":                  "\n注意：%s 后来被撤销；其背书在撤销之前，仍然有效",
		"bundle.summary":                "%s：%d 条更改：新写入 %d，已有 %d，时间超前暂不写入 %d（到时再导入一次），拒绝 %d",
		"release.damaged":               "同步包中带有一个发布版本，但已损坏（%v）：未保留任何内容；请重新复制",
		"release.verdict":               "同步包中带有一个发布版本：%s",
		"release.kept":                  "已保存在 %s；没有安装任何东西：请在您决定时自行安装",
		"release.removed":               "未保留：已删除 %s",
		"verdict.ok":                    "已验证：%[1]s 是发布版本“%[3]s”中的 %[2]s，其 SHA-256 清单由%[4]s签名。SHA-256 %[5]s。",
		"verdict.key":                   "维护者密钥 %s",
		"verdict.other":                 "密钥 %s（来自 %s，不是本程序内置的维护者密钥）",
		"verdict.bad":                   "未通过验证：%s；请勿安装 %s。",
		"problem." + "no_keys":          "本程序没有内置维护者公钥（也没有用 --key 指定），无法验证任何发布版本",
		"problem." + "no_signature":     "缺少 SHA256SUMS 的签名（SHA256SUMS.minisig）",
		"problem." + "bad_signature":    "签名不正确：SHA256SUMS 在签名后被改动过，或签名文件已损坏",
		"problem." + "unknown_key":      "SHA256SUMS 由一个不受信任的密钥签名",
		"problem." + "not_listed":       "已签名的 SHA256SUMS 中没有与此文件内容相符的条目（文件被改动、已损坏或属于另一版本）",
		"verify.demoted":                "注意：%s 签署时是%s，此后已被降为%s：这份公告签署时有效，但签署人现在已不再拥有那个角色",
		"verify.othernet":               "注意：这份公告来自网络 %s，而本设备属于网络“%s”（%s）：签署人不是由您的网络担保的，以下结果只凭这两个文件得出",
		"ctl.unreachable":               "无法与服务 %s 的枢纽通信（控制套接字 %s）",
		"ctl.refused":                   "正在运行的枢纽拒绝了这个请求：%s（枢纽的原话：%s）",
		"ctl.code":                      "见枢纽的原话",
		"ctl.code.required":             "缺少必填项",
		"ctl.code.not_number":           "数量不是数字",
		"ctl.code.negative":             "数量小于零",
		"ctl.code.too_long":             "文字超出长度限制",
		"ctl.code.invalid":              "值无效",
		"ctl.code.no_network":           "还没有网络：请先运行 `reliefmesh-hub init` 或 `reliefmesh-hub join`",
		"ctl.code.not_allowed":          "本设备成员的角色无权这样做",
		"ctl.code.storage":              "枢纽读写本机数据失败",
		"ctl.code.not_found":            "找不到这一项",
		"ctl.code.bundle":               "同步包无法使用",
		"ctl.code.import":               "要导入的文件无法读取",
		"ctl.code.disk_full":            "磁盘空间不足，未写入任何内容",
		"ctl.code.recovering":           "枢纽正在等待取回本设备的最新更改，暂不写入",
		"ctl.code.damaged":              "枢纽的数据已损坏",
		"import.read":                   "读取：    %d 条记录（需求 %d，供给 %d）",
		"import.dryrun":                 "试运行：  未写入任何内容；导入将会：",
		"import.created":                "新建：    %d",
		"import.updated":                "更新：    %d（上次导入后文件中有改动）",
		"import.held":                   "保留：    %d（文件与应用中编辑过的值不同：未覆盖）",
		"import.flagged":                "疑似重复：%d 条已标记待审核（标签 %s）",
		"import.skipped":                "跳过：    %d 条已存在",
		"import.rejected":               "拒绝：    %d",
		"import.cut":                    "截断：    %d（有值超出长度限制被截断：见“问题”）",
		"import.problems":               "问题：    %d",
		"import.more":                   "  ……另有 %d 个问题未逐条列出（%s）；import --json 会列出全部",
		"import.u.updated":              "已更新",
		"import.u.held":                 "保留，应用中已编辑：%s",
		"import.u.kept":                 "已更新，但保留应用中的编辑：%s",
		"import.hubstopped":             "枢纽停止运行，导入在中途停下：%d/%d 条记录已写入，其余 %[3]d 条没有（写入的每条更改都是完整的；枢纽重新运行后再导入一次同样的文件即可补上，已导入的行会被跳过）",
		"import.interrupted":            "导入已中断：%d/%d 条记录已写入，其余 %[3]d 条没有（写入的每条更改都是完整的；再运行一次同样的导入即可补上，已导入的行会被跳过）",
		"reject":                        "更改被拒绝（设备 %s，第 %d 条）：%s。",
		"reject.nodevice":               "更改被拒绝：%s。",
		"reject.how.not_member":         "这台设备还不是本网络的成员：请在它上面运行 `reliefmesh-hub id` 取得成员 ID，请一位成员用 `reliefmesh-hub endorse 成员 ID --role volunteer`（或在应用中）为它背书，同步后再试。",
		"reject.how.revoked":            "这位成员已被撤销，此后的更改会被所有同伴拒绝；如果是误撤销，请协调员为这个人的新设备重新背书。",
		"reject.how.role":               "这位成员的角色无权这样做：请让有权限的成员操作，或请协调员调整角色。",
		"reject.how":                    "请检查后重试；如果不明白原因，请把这条信息交给协调员。",
		"explain.not_bundle":            "这个文件不是聚援同步包：请确认拿的是 `reliefmesh-hub bundle export` 或应用“网络”页导出的文件，而不是表格或其他文件（要导入表格请用 `reliefmesh-hub import`）。",
		"explain.bundle_damaged":        "同步包已损坏或被改动过：未通过验证的更改被拒绝，通过验证的已保留（见上面的统计）。请让对方重新导出一份再拷贝（拷贝时等待写完再拔出 U 盘），已导入的不会重复。",
		"peer.notmember":                "不同步：  %s不是本网络的成员（可能是另一个事件的枢纽，或还没有被背书的设备），本枢纽不与它连接。请检查 --peer 地址是否属于本事件；若它是本网络的新设备，请一位成员为它背书（reliefmesh-hub endorse）。",
		"undo.notreport":                "undo-import：%s 不是导入的报告：请给出导入时用 --json 保存的报告（reliefmesh-hub import 文件 --json > 报告.json）。什么都没有撤回。",
		"init.created":                  "已创建网络“%s”（%s）\n成员 ID：%s",
		"join.joined":                   "已加入网络“%s”（%s）\n成员 ID：%s",
		"join.already":                  "已经是网络“%s”（%s）的成员\n成员 ID：%s",
		"join.hubkeeps":                 "服务 %s 的枢纽会保存加入码并拨打其中的地址",
		"join.endorse":                  "请一位成员为这个成员 ID 背书：reliefmesh-hub endorse %s --role volunteer --name 姓名（recover 之后：本设备原本就是成员的，连上同伴取回名册后即恢复，不必再背书）",
		"join.noaddr":                   "注意：加入码里没有地址：请用 --peer 指定（`reliefmesh-hub serve --peer 多地址`），或请对方在枢纽运行时重新生成加入码（在此之前只能找到同一局域网里的成员）",
		"join.served":                   "服务本数据目录的枢纽会拨打加入码中的地址，并等待背书",
		"join.serve":                    "然后运行 `reliefmesh-hub serve`：它会拨打加入码中的地址，并等待背书",
		"status.counting":               "正在重新统计需求和供给（上次保存的计数已不适用于现在的数据；大型事件可能需要一分钟）……",
		"explain.no_network":            "本设备还不在任何网络中（recover 之后要先重新加入）：请在一位成员那里运行 `reliefmesh-hub join-code`（或在应用的“网络”页）取得加入码，再在这里运行 `reliefmesh-hub join 加入码`，然后再导入同步包。要建立新网络则运行 `reliefmesh-hub init --name 事件名称`。",
		"bundle.paused":                 "写入仍暂停：本设备在等待从同伴取回自己最新的更改（这个同步包没有结束等待：恢复后的设备只认同伴，因为同步包可能比本设备最后的更改旧）。请运行 `reliefmesh-hub serve` 连上一个同伴；确认没有其他设备持有本设备更新的更改时，也可运行 `reliefmesh-hub recover --resume`。",
		"explain.bundle_truncated":      "同步包不完整，被截断了（复制中断）：读到的更改都经过验证并保留（见上面的统计），其余没有读到。请重新复制一份（等复制完成再拔出 U 盘）再导入，已导入的不会重复。",
		"explain.file.empty":            "同步包文件是空的（0 字节）：复制没有完成。没有写入任何内容。请重新复制一份（等复制完成、安全弹出后再拔出 U 盘）再导入。",
		"explain.file.cut_short":        "同步包文件不完整（复制中断）：文件头都没有读完，没有读到任何更改，没有写入任何内容。请重新复制一份（等复制完成再拔出 U 盘）再导入。",
		"explain.file.corrupt":          "同步包文件已损坏（内容在复制或存放时被改动）：文件头无法读取，没有写入任何内容。请重新复制一份再导入。",
		"explain.file.cut_short.n":      "同步包文件不完整（复制中断）：共 %d 条更改，读到并验证了 %d 条（其中新写入 %d 条），另有 %d 条没有读到。%s请重新复制一份（等复制完成再拔出 U 盘）再导入，已导入的不会重复。",
		"explain.file.corrupt.n":        "同步包文件已损坏（内容在复制或存放时被改动，不是哪位成员的错误更改）：共 %d 条更改，读到并验证了 %d 条（其中新写入 %d 条），另有 %d 条没有读到。%s请重新复制一份（最好换一个 U 盘）再导入，已导入的不会重复。",
		"explain.file.kept":             "已写入的都经过验证，予以保留。",
		"explain.file.none":             "读到的这些本机都已经有了。",
		"explain.file.skipped":          "同步包文件已损坏（内容在复制或存放时被改动，不是哪位成员的错误更改）：从第 %d 字节起（第 %d 条更改之后）%s无法读取，已跳过，之后又读到了 %d 条更改。",
		"explain.file.places":           "共 %d 处",
		"explain.file.skipped.counts":   "共 %d 条更改，读到 %d 条（其中新写入 %d 条），%d 条没有读到。%s",
		"explain.file.skipped.noheader": "文件头无法读取（不知道共有多少条更改）；读到 %d 条（其中新写入 %d 条）。%s",
		"explain.file.missing":          "本机仍缺少：%s（同一成员在缺的那条之后的更改，要等它补上才能导入）。",
		"explain.file.missing.run":      "%s的第 %d–%d 条",
		"explain.file.missing.one":      "%s的第 %d 条",
		"explain.file.missing.more":     "另有 %d 位成员的更改",
		"explain.file.skipped.how":      "请重新复制一份（最好换一个 U 盘）再导入，或连上同伴或枢纽（`reliefmesh-hub serve`）取回缺少的更改；已导入的不会重复。",
		"explain.file.complete":         "在读到的范围内，本机什么也不缺。",
		"explain.bundle_network":        "这个同步包属于另一个网络（另一个事件）：请确认对方和本枢纽在同一个网络里。什么都没有写入。",
		"explain.member_id":             "成员 ID 不对：它有 52 个字符（字母 a–z 和数字 2–7），由对方运行 `reliefmesh-hub id` 或在应用的“网络”页给出；可以带空格或连字符。",
		"explain.args":                  "参数个数不对：运行 `reliefmesh-hub 命令 --help` 查看用法。",
		"explain.command":               "没有这个命令：运行 `reliefmesh-hub --help` 查看所有命令。",
		"explain.flag":                  "没有这个选项：运行 `reliefmesh-hub 命令 --help` 查看可用的选项。",
		"bundle.again":                  "另有 %d 条更改此前已被拒绝（再次导入）：这次同样拒绝，但不重复计数",
		"export.wrote":                  "已写入 %d 条需求（%s）：%s",
		"bundle.sending":                "%s：%d 条更改，正在交给服务本数据目录的枢纽",
		"export.level.public":           "公开",
		"export.level.team":             "团队内部",
		"export.level.restricted":       "受限，仅本用户可读",
		"export.signed":                 "已签名：%s（可用 `reliefmesh-hub verify %s` 核验）",
		"release.nofile":                "--release：无法读取发布文件 %s（%v）：未写入同步包",
		"release.nosums":                "--release：无法读取发布版本的 SHA256SUMS %s（%v）：请用 --sums 指定；未写入同步包",
		"release.badsums":               "--release：%s 不是 SHA256SUMS 清单（%v）：请从发布处重新复制；未写入同步包",
		"release.nosig":                 "--release：无法读取签名文件 %s（%v）：未写入同步包",
		"release.badsig":                "--release：%s 不是 minisign 签名（%v）：文件已损坏或不是签名，请从发布处重新复制，或用 --sig 指定正确的文件；未写入同步包",
		"release.sigother":              "--release：签名 %s 与 %s 不符：它是另一份清单的签名，或清单在签名后被改动；请从发布处一并重新复制这两个文件；未写入同步包",
		"release.sigunknown":            "--release：无法在本机核对签名 %s：签名所用的密钥 %s 不在本机信任的密钥之中；仍会携带该发布版本，对方站点需要有签名所用的公钥（bundle import --key）才能核实",
		"release.notlisted":             "--release：%s 不在 %s 中：这不是该发布版本的文件，或 SHA256SUMS 不是它的；未写入同步包",
		"release.mismatch":              "--release：%s 的 SHA-256 与 %s 所列不符：文件已损坏或被改动，请从发布处重新复制；未写入同步包",
		"notmember.at":                  "%s（成员 ID %s）",
		"notmember.named":               "%s（成员 ID %s，地址 %s）",
		"notmember.revoked":             "已撤销的成员 %s（成员 ID %s，地址 %s）",
		"notmember.id":                  "成员 ID %s ",
		"bundle.othernet":               "同步包 %s 属于另一个网络（网络 ID %s…），不是本枢纽的网络",
	},
	langEN: {
		"err.nodevice":                  "no ReliefMesh device in %s (no %s there): check --data-dir, or create one with `reliefmesh-hub init` or `reliefmesh-hub join`",
		"err.inuse.serve":               "the data dir %s is in use by another process (another hub, or the desktop app?)",
		"err.nonetwork.serve":           "no network yet: run `reliefmesh-hub init --name INCIDENT` or `reliefmesh-hub join CODE` first",
		"member":                        "%s  %-11s %s, %s, since %s%s",
		"member.first":                  "first coordinator",
		"member.by":                     "endorsed by %s %s",
		"member.revoked":                "  (revoked)",
		"device":                        "device:   %s",
		"network.none":                  "network:  none yet (reliefmesh-hub init --name INCIDENT)",
		"network":                       "network:  %s (%s)",
		"role":                          "role:     %s",
		"revoked":                       " — REVOKED",
		"revoked.by":                    " by %s",
		"revoked.at":                    " at %s",
		"revoked.after":                 " (its changes from then on are refused by every peer)",
		"members":                       "members:  %d",
		"demands":                       "demands:  %d",
		"offers":                        "offers:   %d",
		"feeds":                         "feeds:    %d",
		"refused":                       "refused:  %s",
		"inbox.why":                     "        why: %s (%s)",
		"storage.recovering":            "writes:   paused — waiting for this device's own newest changes from a peer or a bundle (%s); they resume by themselves, or run reliefmesh-hub recover --resume",
		"storage.recovering.restored":   "writes:   paused — waiting for this device's own newest changes from a peer (%s; a bundle does not end this wait, it may be older than the device's last changes); they resume once a peer is reached (reliefmesh-hub serve), or run reliefmesh-hub recover --resume",
		"storage.why.unclean":           "the last session did not close cleanly",
		"storage.why.restored":          "the damaged store was moved aside",
		"storage.diskFull":              "disk:     FULL — %[1]s free in %[3]s, %[2]s needed: writes are refused until space is freed; what is held is still served",
		"storage.fork":                  "fork:     this device's feed has two different changes at #%d (since %s): every peer refuses its changes from then on. Stop writing here, move the data directory aside (reliefmesh-hub recover) and join again",
		"storage.repaired":              "repaired: %d {record|records} did not match the changes held: rebuilt from them (%s); %d missing {change is|changes are} fetched again from peers",
		"waited":                        "waited:   %d {change|changes} arrived before earlier changes of their feed and waited for them (not refusals)",
		"held":                          "held:     %d {change|changes} dated ahead of this clock (newest %s ahead): check this computer's date and time",
		"hub.none":                      "hub:      not serving (peers are known only while `reliefmesh-hub serve` runs)",
		"hub.serving":                   "hub:      serving as %s",
		"hub.error":                     "error:    %s (members are no longer served: restart the hub)",
		"hub.waiting.catchup":           "catching up from a member: if a member endorsed this device, the endorsement arrives with the catch-up (perhaps last); only if \"waiting for endorsement\" stays once caught up, ask a member to run `reliefmesh-hub endorse %s --role volunteer`",
		"hub.waiting":                   "waiting for endorsement: ask a member to run `reliefmesh-hub endorse %s --role volunteer`",
		"peers":                         "peers:    %d",
		"peer.offline":                  "not connected",
		"peer.connected":                "connected (%s)",
		"peer.unknown":                  "unknown (no exchange yet)",
		"peer.syncing.n":                "syncing %d/%d",
		"peer.syncing":                  "syncing",
		"peer.synced":                   "synced",
		"peer.lack":                     "we lack %d, they lack %d",
		"peer.last":                     ", last exchange %s",
		"peer.instep":                   ", still in step when checked at %s (peers in step exchange one round in ten)",
		"peer.error":                    ", last error: %s",
		"inbox.empty":                   "nothing waits on this member",
		"inbox.nodue":                   "no deadline",
		"inbox.overdue":                 "OVERDUE since %s",
		"inbox.due":                     "due %s",
		"verified":                      "VERIFIED: %s",
		"notverified":                   "NOT VERIFIED: %s: %s",
		"verify.local":                  "checked against this device's roster too",
		"verify.signer":                 "signed by %s, %s",
		"verify.endorser":               ",\n  endorsed by %s, %s",
		"verify.founder":                ",\n  the founder of network %s",
		"verify.at":                     "\nsigned at %s (the signer's clock)",
		"verify.later":                  "\nnote: %s was revoked later; their endorsement was made before and stands",
		"bundle.summary":                "%s: %d {change|changes}: %d applied, %d already held, %d dated too far ahead of this clock (not applied: import again once due), %d refused",
		"release.damaged":               "the bundle carries a release, but it is damaged (%v): nothing was kept; carry it again",
		"release.verdict":               "the bundle carries a release: %s",
		"release.kept":                  "kept at %s; nothing was installed: install it when you decide to",
		"release.removed":               "not kept: %s was removed",
		"verdict.ok":                    "VERIFIED: %s is %s of the release \"%s\", whose list of SHA-256 sums is signed by %s. SHA-256 %s.",
		"verdict.key":                   "the maintainers' key %s",
		"verdict.other":                 "the key %s from %s (NOT one of the maintainers' keys built into this program)",
		"verdict.bad":                   "NOT VERIFIED: %s; do not install %s.",
		"problem." + "no_keys":          "this program has no maintainers' public key built in (and none was given with --key), so no release can be verified",
		"problem." + "no_signature":     "the signature of SHA256SUMS (SHA256SUMS.minisig) is missing",
		"problem." + "bad_signature":    "the signature is wrong: SHA256SUMS was changed after signing, or the signature file is damaged",
		"problem." + "unknown_key":      "SHA256SUMS is signed by a key this program does not trust",
		"problem." + "not_listed":       "the signed SHA256SUMS lists no file with this content (altered, damaged or of another release)",
		"verify.demoted":                "note: %s signed as %s and has since been demoted to %s: the bulletin was valid when signed, but the signer no longer holds that role",
		"verify.othernet":               "note: this bulletin comes from network %s, while this device belongs to network \"%s\" (%s): its signer is not vouched for by your network; what follows comes from the two files alone",
		"ctl.unreachable":               "the hub serving %s (control socket %s)",
		"ctl.refused":                   "the running hub refused this: %s (its words: %s)",
		"ctl.code":                      "see its words",
		"ctl.code.required":             "a required field is empty",
		"ctl.code.not_number":           "a quantity is not a number",
		"ctl.code.negative":             "a quantity is below zero",
		"ctl.code.too_long":             "a text is longer than its limit",
		"ctl.code.invalid":              "a value is not valid",
		"ctl.code.no_network":           "no network yet: run `reliefmesh-hub init` or `reliefmesh-hub join` first",
		"ctl.code.not_allowed":          "this device's member's role may not do this",
		"ctl.code.storage":              "the hub could not read or write its data",
		"ctl.code.not_found":            "no such item",
		"ctl.code.bundle":               "the bundle cannot be used",
		"ctl.code.import":               "the file to import cannot be read",
		"ctl.code.disk_full":            "the disk is short of space: nothing was written",
		"ctl.code.recovering":           "the hub waits for this device's newest changes and does not write yet",
		"ctl.code.damaged":              "the hub's data is damaged",
		"import.read":                   "read:       %d {record|records} (%d {demand|demands}, %d {offer|offers})",
		"import.dryrun":                 "dry run:    nothing written; the import would do this:",
		"import.created":                "created:    %d",
		"import.updated":                "updated:    %d (changed in the file since the last import)",
		"import.held":                   "held:       %d (the file differs from values edited in the app: not overwritten)",
		"import.flagged":                "duplicates: %d flagged for review (tag %s)",
		"import.skipped":                "skipped:    %d already present",
		"import.rejected":               "rejected:   %d",
		"import.cut":                    "cut:        %d (a value cut to the limits: see problems)",
		"import.problems":               "problems:   %d",
		"import.more":                   "  … and %d more {problem|problems} not listed one by one (%s); import --json lists every one",
		"import.u.updated":              "updated",
		"import.u.held":                 "held, edited in the app: %s",
		"import.u.kept":                 "updated, but kept as edited in the app: %s",
		"import.hubstopped":             "the hub stopped part way through the import: %d of %d {record|records} applied, the other %d {was|were} not (every change written is complete; when the hub runs again, run the same import again to add them, rows already imported are skipped)",
		"import.interrupted":            "import interrupted: %d of %d {record|records} applied, the other %d {was|were} not (every change written is complete; run the same import again to add them, rows already imported are skipped)",
		"reject":                        "a change was refused (device %s, change #%d): %s.",
		"reject.nodevice":               "a change was refused: %s.",
		"reject.how.not_member":         "That device is not a member of this network yet: run `reliefmesh-hub id` on it for its member id, ask a member to endorse it with `reliefmesh-hub endorse MEMBER_ID --role volunteer` (or in the app), sync, and try again.",
		"reject.how.revoked":            "That member was revoked: every peer refuses its changes from then on; if it was a mistake, a coordinator endorses the person's new device.",
		"reject.how.role":               "That member's role may not do this: ask a member who may, or a coordinator to change the role.",
		"reject.how":                    "Check and try again; if the reason is unclear, give this message to a coordinator.",
		"explain.not_bundle":            "This file is not a ReliefMesh bundle: check that it is a file written by `reliefmesh-hub bundle export` or the app's Network screen, not a sheet or another file (to import a sheet, use `reliefmesh-hub import`).",
		"explain.bundle_damaged":        "The bundle is damaged or was changed: the changes that failed the checks were refused, the verified ones are kept (see the counts above). Ask for a new export and copy it again (wait until the copy ends before pulling the USB stick); what is already in is not duplicated.",
		"peer.notmember":                "not synced: %s is not a member of this network (another incident's hub, or a device nobody endorsed yet): this hub does not connect to it. Check that the --peer address belongs to this incident; if it is a new device of this network, a member endorses it (reliefmesh-hub endorse).",
		"undo.notreport":                "undo-import: %s is not the report of an import: give the report an import saved with --json (reliefmesh-hub import FILE --json > REPORT.json). Nothing was withdrawn.",
		"init.created":                  "created network \"%s\" (%s)\nmember id: %s",
		"join.joined":                   "joined network \"%s\" (%s)\nmember id: %s",
		"join.already":                  "already a member of \"%s\" (%s)\nmember id: %s",
		"join.hubkeeps":                 "the hub serving %s keeps the code and dials its addresses",
		"join.endorse":                  "ask a member to endorse this id: reliefmesh-hub endorse %s --role volunteer --name NAME (after recover: a device that was a member already is admitted again once a peer gave it the roster, no new endorsement needed)",
		"join.noaddr":                   "WARNING: the code has no address: give one with --peer (`reliefmesh-hub serve --peer MULTIADDR`) or ask for a code made while the hub serves (until then only a member on the same LAN can be found)",
		"join.served":                   "the hub serving this data dir dials the code's addresses and waits for the endorsement",
		"join.serve":                    "then run `reliefmesh-hub serve`: it dials the code's addresses and waits for the endorsement",
		"status.counting":               "counting the demands and offers again (the counts saved last no longer hold for the data; a large incident may take a minute)…",
		"explain.no_network":            "This device is in no network yet (after `recover` it joins again first): get a join code from a member (`reliefmesh-hub join-code`, or the app's Network screen), run `reliefmesh-hub join CODE` here, then import the bundle. To start a new network, run `reliefmesh-hub init --name INCIDENT`.",
		"bundle.paused":                 "Writing is still paused: this device waits for its own newest changes from a peer (this bundle did not end the wait: a recovered device waits for a peer, as a bundle may be older than the device's last changes). Run `reliefmesh-hub serve` to reach a peer; if you are sure no other device holds newer changes of this one, run `reliefmesh-hub recover --resume`.",
		"explain.bundle_truncated":      "The bundle is incomplete, cut short (the copy was interrupted): the changes read were verified and are kept (see the counts above), the rest were never read. Copy it again (wait until the copy ends before pulling the USB stick) and import it; what is already in is not duplicated.",
		"explain.file.empty":            "The bundle file is empty (0 bytes): the copy did not finish. Nothing was written. Copy it again (wait until the copy ends and eject the USB stick before pulling it) and import it.",
		"explain.file.cut_short":        "The bundle file is incomplete (the copy was cut short): it ends inside its header, no change was read and nothing was written. Copy it again (wait until the copy ends before pulling the USB stick) and import it.",
		"explain.file.corrupt":          "The bundle file is damaged (bytes changed while copied or stored): its header cannot be read, nothing was written. Copy it again and import it.",
		"explain.file.cut_short.n":      "The bundle file is incomplete (the copy was cut short): of its %d {change|changes}, %d {was|were} read and verified (%d of them new here), %d never read. %sCopy it again (wait until the copy ends before pulling the USB stick) and import it; what is already in is not duplicated.",
		"explain.file.corrupt.n":        "The bundle file is damaged (bytes changed while copied or stored; no member's change is at fault): of its %d {change|changes}, %d {was|were} read and verified (%d of them new here), %d never read. %sCopy it again (another USB stick if you can) and import it; what is already in is not duplicated.",
		"explain.file.kept":             "What was written was verified and is kept. ",
		"explain.file.none":             "Those read were all held here already. ",
		"explain.file.skipped":          "The bundle file is damaged (bytes changed while copied or stored; no member's change is at fault): from byte %d (after change %d) %sbytes could not be read and were skipped; reading went on after them, %d more read. ",
		"explain.file.places":           "in %d {place|places} ",
		"explain.file.skipped.counts":   "Of its %d {change|changes}, %d {was|were} read (%d of them new here), %d never read. %s",
		"explain.file.skipped.noheader": "Its header could not be read (how many changes it holds is not known); %d {change was|changes were} read (%d of them new here). %s",
		"explain.file.missing":          "Still missing here: %s (a member's changes after a missing one wait until it is filled in). ",
		"explain.file.missing.run":      "%s's changes %d–%d",
		"explain.file.missing.one":      "%s's change %d",
		"explain.file.missing.more":     "changes of %d more {member|members}",
		"explain.file.skipped.how":      "Copy it again (another USB stick if you can) and import it, or catch up from a peer or hub (`reliefmesh-hub serve`) to fetch what is missing; what is already in is not duplicated.",
		"explain.file.complete":         "Within what was read, nothing is missing here. ",
		"explain.bundle_network":        "This bundle belongs to another network (another incident): check that the other side and this hub are in the same network. Nothing was written.",
		"explain.member_id":             "The member id is wrong: it has 52 characters (letters a–z and digits 2–7), given by the other side's `reliefmesh-hub id` or the app's Network screen; spaces and dashes are fine.",
		"explain.args":                  "Wrong number of arguments: run `reliefmesh-hub COMMAND --help` for how to use it.",
		"explain.command":               "No such command: run `reliefmesh-hub --help` for the commands there are.",
		"explain.flag":                  "No such option: run `reliefmesh-hub COMMAND --help` for the options there are.",
		"bundle.again":                  "%d more {change|changes} had been refused before (imported again): refused again, not counted again",
		"export.wrote":                  "wrote %d {demand|demands} (%s) to %s",
		"bundle.sending":                "%s: %d {change|changes}: sending to the hub serving this data dir",
		"export.level.public":           "public",
		"export.level.team":             "team",
		"export.level.restricted":       "restricted, readable by this user only",
		"export.signed":                 "signed: %s (check it with `reliefmesh-hub verify %s`)",
		"release.nofile":                "--release: cannot read the release file %s (%v): no bundle was written",
		"release.nosums":                "--release: cannot read the release's SHA256SUMS %s (%v): give it with --sums; no bundle was written",
		"release.badsums":               "--release: %s is not a SHA256SUMS list (%v): copy it again from the release; no bundle was written",
		"release.nosig":                 "--release: cannot read the signature file %s (%v): no bundle was written",
		"release.badsig":                "--release: %s is not a minisign signature (%v): the file is damaged or not a signature; copy it again from the release, or give the right one with --sig; no bundle was written",
		"release.sigother":              "--release: the signature %s does not match %s: it signs another list, or the list was changed after signing; copy both again from the release; no bundle was written",
		"release.sigunknown":            "--release: the signature %s cannot be checked here: the key %s that made it is not one this device trusts; the release is carried, and the other site needs the key that signed it (bundle import --key) to verify it",
		"release.notlisted":             "--release: %s is not listed in %s: it is not a file of that release, or those are not its sums; no bundle was written",
		"release.mismatch":              "--release: the SHA-256 of %s differs from the one %s lists: the file is damaged or altered; copy it again from the release; no bundle was written",
		"notmember.at":                  "%s (member id %s)",
		"notmember.named":               "%s (member id %s, at %s)",
		"notmember.revoked":             "the revoked member %s (member id %s, at %s)",
		"notmember.id":                  "member id %s",
		"bundle.othernet":               "bundle %s belongs to another network (network id %s…), not this hub's",
	},
}

// uiLabels are the UI's labels the hub shows too, by language, group and
// code: inbox entries (inbox.what.*), refusal reasons (reason.*), roles
// (role.*), demand statuses (status.*) and the errors the command line
// says of a desk error (error.*, in Chinese: cliErrorIn) of frontend/src/locales.
var uiLabels = map[string]map[string]map[string]string{
	langZH: {
		"what": {"review": "待审核", "publish": "待发布", "claim": "待认领", "answer": "待答复任务", "owned": "我负责的", "complete": "待完成任务",
			"follow_up": "待跟进", "transfer": "转交请求", "recheck": "待回访", "conflict": "冲突和未生效的操作", "delivery": "待确认到货", "withdrawn": "被撤回的需求", "duplicate": "疑似重复",
			"undone": "被撤销的更改", "checkout": "未签退", "covenant": "伙伴契约", "covenant_missing": "未接受契约", "fork": "设备分叉"},
		"reason": {"not_member": "不是成员", "revoked": "成员已被撤销", "role": "角色无权限", "status": "状态已变化", "owned": "已被他人认领", "not_owned": "无人认领",
			"not_owner": "不是负责人", "bad_target": "目标无效", "closed": "需求已关闭", "genesis_exists": "网络已存在", "not_first": "不是第一条记录",
			"already_member": "已是成员", "already_revoked": "已被撤销", "concurrent": "另一台设备同时修改了它", "erased": "修改时没看到这些个人信息已被删除：这次修改也一并删除", "malformed": "格式错误", "too_large": "过大", "bad_signature": "签名无效（伪造或被篡改）",
			"broken_link": "链接断开", "wrong_network": "属于其他网络", "fork": "同一设备的分叉记录", "too_far_ahead": "时间超前太多", "gap": "缺少前面的记录",
			"request_pending": "已有另一个转交请求待答复", "no_request": "没有对应的待答复转交请求", "not_due": "负责人仍在答复时限内", "bad_reply_by": "答复截止时间无效",
			"foreign_genesis": "冒充本网络的创建（非创建者签署）", "before_genesis": "时间早于网络创建",
			"not_created": "这条需求的创建记录不在本机（被撤销成员的更改已撤回，或尚未收到）", "no_evidence": "审核通过但没有核实依据，也没有书面理由"},
		"role": {"coordinator": "协调员", "reviewer": "审核员", "volunteer": "志愿者", "observer": "观察员"},
		"error": {"required": "请填写{field}。", "not_number": "{field}必须是数字。", "negative": "{field}不能小于 0。", "too_long": "{field}太长了。",
			"too_long_max": "{field}太长了：最多 {max} 个字符。", "too_long_max_items": "{field}太多了：最多 {max} 项。", "invalid": "{field}的值无效。",
			"invalid_checksum": "{field}的校验不符，可能有字符输错了：请逐个字符核对，或扫描二维码。", "invalid_truncated": "{field}不完整，缺了字符（多半在末尾）：请重新复制完整的加入码，或扫描二维码。",
			"invalid_prefix": "这不是加入码：加入码以 {prefix} 开头。", "invalid_no_demand": "没有编号为 {value} 的需求：请核对编号。", "no_network": "请先创建或加入一个网络。",
			"not_allowed": "你的角色不能执行这个操作。", "storage": "无法读写本地数据：{detail}", "not_found": "找不到这条记录。", "unknown": "出错了：{detail}"},
		"status": {"collected": "已收集", "approved": "已审核", "published": "已发布", "in_progress": "处理中", "fulfilled": "已完成", "rejected": "已驳回",
			"duplicate": "重复", "withdrawn": "已撤回"},
	},
	langEN: {
		"what": {"review": "To review", "publish": "To publish", "claim": "To claim", "answer": "Task to answer", "owned": "Mine", "complete": "Task to complete",
			"follow_up": "To follow up", "transfer": "Transfer request", "recheck": "To re-check", "conflict": "Conflicts and actions that did not apply", "delivery": "Delivery to confirm", "withdrawn": "Withdrawn demand",
			"duplicate": "Possible duplicate", "undone": "Undone changes", "checkout": "Missed check-out", "covenant": "Covenant", "covenant_missing": "Covenant not accepted", "fork": "Forked device"},
		"reason": {"not_member": "not a member", "revoked": "member revoked", "role": "role not allowed", "status": "status had changed",
			"owned": "already claimed by someone else", "not_owned": "nobody owned it", "not_owner": "not the owner", "bad_target": "invalid target",
			"closed": "the demand was closed", "genesis_exists": "the network already existed", "not_first": "not the first entry", "already_member": "already a member",
			"already_revoked": "already revoked", "concurrent": "edited at the same time on another device", "erased": "made without seeing that this personal data was erased: erased too", "malformed": "malformed", "too_large": "too large", "bad_signature": "bad signature (forged or altered)",
			"broken_link": "broken link", "wrong_network": "another network's", "fork": "forked feed", "too_far_ahead": "dated too far ahead",
			"gap": "earlier changes missing", "request_pending": "another transfer request was waiting", "no_request": "no such transfer request was pending",
			"not_due": "the owner could still answer", "bad_reply_by": "invalid answer-by time", "foreign_genesis": "founding by someone other than this network's founder",
			"before_genesis": "dated before the network began", "not_created": "the demand's creation is not here (undone by a revocation, or not received yet)",
			"no_evidence": "approved without evidence or a written reason"},
		"role": {"coordinator": "Coordinator", "reviewer": "Reviewer", "volunteer": "Volunteer", "observer": "Observer"},
		"error": {"required": "{field} is required.", "not_number": "{field} must be a number.", "negative": "{field} cannot be below 0.", "too_long": "{field} is too long.",
			"too_long_max": "{field} is too long: at most {max} characters.", "too_long_max_items": "{field}: too many, at most {max}.", "invalid": "{field} has an invalid value.",
			"invalid_checksum":  "{field}: the checksum does not match, so a character is probably mistyped. Check it character by character, or scan the QR code.",
			"invalid_truncated": "{field} is incomplete: characters are missing (at the end, most often). Copy the whole join code again, or scan the QR code.",
			"invalid_prefix":    "This is not a join code: join codes start with {prefix}.", "invalid_no_demand": "There is no demand with the code {value}: check the code.",
			"no_network": "Create or join a network first.", "not_allowed": "Your role does not allow this action.", "storage": "Cannot read or write local data: {detail}",
			"not_found": "This record was not found.", "unknown": "Something went wrong: {detail}"},
		"status": {"collected": "Collected", "approved": "Approved", "published": "Published", "in_progress": "In progress", "fulfilled": "Fulfilled",
			"rejected": "Rejected", "duplicate": "Duplicate", "withdrawn": "Withdrawn"},
	},
}

// rejectPattern finds a ledger.RejectError in an error's text, as the
// control socket carries it: "reject REASON[: device ID seq N]".
var rejectPattern = regexp.MustCompile(`reject ([a-z_]+)(?:: device ([a-z0-9]+) seq ([0-9]+))?`)

// explainInput says in sp's language what was wrong with what the person
// gave and what to do: a file that is no bundle, or is damaged or of
// another network; a member id that does not parse; the wrong number of
// arguments or an unknown flag (cobra says those in English only). It
// returns "" for any other error.
func explainInput(sp speaker, err error) string {
	var coded *codedError
	code := ""
	if errors.As(err, &coded) {
		code = coded.code
	}
	msg := err.Error()
	var fe *bundle.FileError
	switch {
	case errors.As(err, &fe):
		return explainFile(sp, fe)
	case errors.Is(err, store.ErrNoNetwork) || code == desk.CodeNoNetwork || strings.Contains(msg, store.ErrNoNetwork.Error()):
		return sp.t("explain.no_network")
	case errors.Is(err, bundle.ErrNotBundle) || code == desk.CodeNotBundle:
		return sp.t("explain.not_bundle")
	case code == desk.CodeBundleTruncated:
		return sp.t("explain.bundle_truncated")
	case errors.Is(err, bundle.ErrDamaged) || code == desk.CodeBundleDamaged:
		return sp.t("explain.bundle_damaged")
	case errors.Is(err, bundle.ErrOtherNetwork) || code == desk.CodeBundleOtherNetwork:
		return sp.t("explain.bundle_network")
	case strings.Contains(msg, "member id "):
		return sp.t("explain.member_id")
	case strings.HasPrefix(msg, "unknown command ") && strings.HasSuffix(msg, ` for "reliefmesh-hub"`):
		// cobra on the root: a mistyped or missing subcommand. ("unknown
		// command X for "reliefmesh-hub status"" is cobra.NoArgs: an
		// argument too many.)
		return sp.t("explain.command")
	case strings.Contains(msg, " arg(s), received ") || strings.Contains(msg, " arg(s), only received ") || strings.HasPrefix(msg, "unknown command "):
		return sp.t("explain.args")
	case strings.HasPrefix(msg, "unknown flag: ") || strings.HasPrefix(msg, "unknown shorthand flag: "):
		return sp.t("explain.flag")
	case strings.HasPrefix(msg, "invalid argument ") || strings.HasPrefix(msg, "flag needs an argument: "):
		return sp.t("explain.flagvalue")
	}
	return ""
}

// explainFile says in sp's language what a damaged bundle file held: how
// many changes were read, applied and never read, and to copy it again.
func explainFile(sp speaker, fe *bundle.FileError) string {
	if fe.Kind == bundle.FileEmpty {
		return sp.t("explain.file.empty")
	}
	if !fe.CountKnown && (fe.Read == 0 || len(fe.Damage) == 0) {
		return sp.t("explain.file." + fe.Kind)
	}
	kept := sp.t("explain.file.kept")
	if fe.Applied == 0 {
		kept = ""
		if fe.Read > 0 {
			kept = sp.t("explain.file.none")
		}
	}
	if fe.Kind == bundle.FileCorrupt && len(fe.Damage) > 0 {
		return explainSkipped(sp, fe, kept)
	}
	return sp.t("explain.file."+fe.Kind+".n", fe.Changes, fe.Read, fe.Applied, fe.Unread(), kept)
}

// maxMissingSaid is how many feeds' missing runs explainSkipped names; the
// rest are counted.
const maxMissingSaid = 6

// explainSkipped says in sp's language where a damaged bundle file was
// skipped (byte offset, after which change, in how many places), how many
// changes were read after it, what this store still lacks of it, feed by
// feed (the author's name and short id, seq range), and what to do.
func explainSkipped(sp speaker, fe *bundle.FileError, kept string) string {
	d := fe.Damage[0]
	places := ""
	if len(fe.Damage) > 1 {
		places = sp.t("explain.file.places", len(fe.Damage))
	}
	counts := sp.t("explain.file.skipped.counts", fe.Changes, fe.Read, fe.Applied, fe.Unread(), kept)
	if !fe.CountKnown {
		counts = sp.t("explain.file.skipped.noheader", fe.Read, fe.Applied, kept)
	}
	return sp.t("explain.file.skipped", d.Offset, d.Changes, places, fe.ReadAfter) + counts +
		missingRuns(sp, fe.Missing) + sp.t("explain.file.skipped.how")
}

// missingRuns says which changes are still missing, or that none is.
func missingRuns(sp speaker, ms []bundle.Missing) string {
	if len(ms) == 0 {
		return sp.t("explain.file.complete")
	}
	sep := ", "
	if sp.lang == langZH {
		sep = "；"
	}
	parts := make([]string, 0, min(len(ms), maxMissingSaid+1))
	for i, m := range ms {
		if i == maxMissingSaid {
			parts = append(parts, sp.t("explain.file.missing.more", len(ms)-i))
			break
		}
		who := m.Device.Short()
		if m.Name != "" {
			who = m.Name + " (" + who + ")"
			if sp.lang == langZH {
				who = m.Name + "（" + m.Device.Short() + "）"
			}
		}
		if m.From == m.To {
			parts = append(parts, sp.t("explain.file.missing.one", who, m.From))
		} else {
			parts = append(parts, sp.t("explain.file.missing.run", who, m.From, m.To))
		}
	}
	return sp.t("explain.file.missing", strings.Join(parts, sep))
}

// explainReject says in sp's language what a refusal (a *ledger.RejectError
// in err, or its text from the control socket) means and what to do: the
// reason in the UI's words, the device and change, and a next step by
// reason. It returns "" when err holds no refusal.
func explainReject(sp speaker, err error) string {
	var reason, device string
	var seq uint64
	var rej *ledger.RejectError
	var fe *bundle.FileError
	if errors.As(err, &fe) {
		return "" // a damaged file, whatever its frame said (explainInput)
	}
	if errors.As(err, &rej) {
		reason, seq = string(rej.Reason), rej.Seq
		if !rej.Device.IsZero() {
			device = rej.Device.Short()
		}
	} else if m := rejectPattern.FindStringSubmatch(err.Error()); m != nil {
		reason, device = m[1], m[2]
		seq, _ = strconv.ParseUint(m[3], 10, 64)
	} else {
		return ""
	}
	what := sp.t("reject.nodevice", sp.label("reason", reason))
	if device != "" {
		what = sp.t("reject", device, seq, sp.label("reason", reason))
	}
	how, ok := hubWords[sp.lang]["reject.how."+reason]
	if !ok {
		how = sp.t("reject.how")
	}
	if sp.lang == langZH {
		return what + how // Chinese puts no space after 。
	}
	return what + " " + how
}

// pluralForms is a count, up to two words, and an English word's two forms
// after it: "3 more {change|changes}". The forms may hold a verb that agrees
// ("{change is|changes are}").
var pluralForms = regexp.MustCompile(`(\d[\d,]*) ((?:[a-z]+ ){0,2})\{([^{}|]*)\|([^{}|]*)\}`)

// plurals returns s with each {one|other} after a count replaced by the
// form of that count: one for 1, other for any other count ("1 change", "0
// changes", "1,000 changes"). The English sentences write their plurals so;
// Chinese has none.
func plurals(s string) string {
	if !strings.Contains(s, "|") {
		return s
	}
	return pluralForms.ReplaceAllStringFunc(s, func(m string) string {
		p := pluralForms.FindStringSubmatch(m)
		form := p[4]
		if p[1] == "1" {
			form = p[3]
		}
		return p[1] + " " + p[2] + form
	})
}
