package main

import (
	"regexp"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/reliefmesh/reliefmesh/desk"
)

// The help (--help, `help COMMAND`) is in the language of --lang too. The
// English help is where cobra keeps it, on each command (Short, Long, the
// flags' usage); the Chinese is here, by command path without the program's
// name ("" for the program, "bundle export") and by "path --flag".
// sayHelpIn puts it on the commands when help is asked for in Chinese,
// before cobra prints it with a Chinese template. TestHelpHasChinese checks
// that every command and flag (cobra's own help and completion commands
// included) has its Chinese here.

// helpZH are the commands' Short and Long in Chinese (Long "" when the
// command has none).
var helpZH = map[string][2]string{
	"":       {"聚援 ReliefMesh 无界面节点：区域枢纽、脚本、状态", ""},
	"bundle": {"用文件（U 盘）在网络到不了的站点之间携带更改", ""},
	"bundle export": {"把对方站点缺少的更改（默认：全部）写入文件",
		"把更改写成同步包文件。--since-file 读取对方站点的版本向量（在对方用 `bundle vv -o VV.cbor` 写出）；\n" +
			"--for 读取一个成员 ID，按本设备上次所知该成员已有的更改（同步之后）导出。两者都不给时导出全部。\n" +
			"--release 附带一个发布文件（安装包、枢纽程序）及其 SHA256SUMS 和 SHA256SUMS.minisig（在它旁边，\n" +
			"或用 --sums 和 --sig 指定）：导入同步包的站点会被告知它是否由维护者签名，并保存它以便安装；\n" +
			"不会自动安装任何东西。旧版本的程序照常导入同步包中的更改，不读发布文件。"},
	"bundle import": {"核验并写入同步包文件中的更改（导入两次不会重复）",
		"核验并写入同步包文件中的更改。同步包携带的发布版本（bundle export --release）会对照维护者的\n" +
			"密钥检查：通过验证的保存在 DATA/releases，由您决定何时安装；未通过的会被删除；两种情况都会\n" +
			"说明原因。不会自动安装任何东西。"},
	"bundle vv": {"写出本设备的版本向量（CBOR），供对方站点的 `bundle export --since-file` 使用", ""},
	"completion": {"生成指定 shell 的自动补全脚本",
		"为 reliefmesh-hub 生成指定 shell 的自动补全脚本。\n各子命令的帮助说明如何使用生成的脚本。"},
	"completion bash": {"生成 bash 的自动补全脚本",
		"生成 bash 的自动补全脚本（需要 bash-completion 软件包）。\n\n在当前会话中加载：\n\n\tsource <(reliefmesh-hub completion bash)\n\n" +
			"以后每个新会话都加载（执行一次）：\n\n\treliefmesh-hub completion bash > /etc/bash_completion.d/reliefmesh-hub\n\n设置在新开的 shell 中生效。"},
	"completion fish": {"生成 fish 的自动补全脚本",
		"生成 fish 的自动补全脚本。\n\n在当前会话中加载：\n\n\treliefmesh-hub completion fish | source\n\n" +
			"以后每个新会话都加载（执行一次）：\n\n\treliefmesh-hub completion fish > ~/.config/fish/completions/reliefmesh-hub.fish\n\n设置在新开的 shell 中生效。"},
	"completion powershell": {"生成 PowerShell 的自动补全脚本",
		"生成 PowerShell 的自动补全脚本。\n\n在当前会话中加载：\n\n\treliefmesh-hub completion powershell | Out-String | Invoke-Expression\n\n" +
			"以后每个新会话都加载：把上面命令的输出加入 PowerShell 的配置文件（profile）。"},
	"completion zsh": {"生成 zsh 的自动补全脚本",
		"生成 zsh 的自动补全脚本。\n\n如果环境中还没有启用 shell 补全，请先执行一次：\n\n\techo \"autoload -U compinit; compinit\" >> ~/.zshrc\n\n" +
			"在当前会话中加载：\n\n\tsource <(reliefmesh-hub completion zsh)\n\n以后每个新会话都加载（执行一次）：\n\n" +
			"\treliefmesh-hub completion zsh > \"${fpath[1]}/_reliefmesh-hub\"\n\n设置在新开的 shell 中生效。"},
	"covenant": {"发布网络伙伴契约的新版本（行为准则与隐私承诺；仅限协调员）：每位成员都会被请求接受", ""},
	"endorse":  {"为新成员的密钥背书并给予角色（coordinator 协调员、reviewer 审核员、volunteer 志愿者、observer 观察员）；已是成员的则改变其角色（仅限协调员）", ""},
	"export": {"写出公告：已发布的需求，除非 --level 另行指定，只含公开字段",
		"export 把已发布和处理中的需求写成公告：CSV（带 BOM 的 UTF-8，含一行 HXL 标签）、XLSX、\n" +
			"带 HXL 标签的 CSV、JSON，或可贴到聊天群的纯文字摘要（--lang zh-CN 或 en）。公告只含公开字段，\n" +
			"除非明确要求 --level team（加上地址；任何成员）或 --level restricted（加上联系人；协调员和审核员）。\n\n" +
			"--lang 指定公告的语言：zh-CN（默认，与本产品一致）或 en。CSV 和 XLSX 的表头、状态、类别、\n" +
			"紧急程度和单位用该语言（表头下的 HXL 标签行让程序仍能读懂）；XLSX 另有一张工作表，说明导出的\n" +
			"时间、网络和导出人；JSON 保留英文键和代码并加上标签；hxl 格式不论语言都用代码。\n\n" +
			"在文件旁边另写 FILE.sig：本设备对文件的签名，连同接纳它加入网络的背书链\n" +
			"（docs/bulletin-signature.md），收到两者的人可以离线用 `reliefmesh-hub verify FILE` 核验。\n" +
			"还不是成员的设备写出未签名的公告并予以说明；--no-sign 不写签名。"},
	"help": {"显示任一命令的帮助",
		"显示本程序任一命令的帮助。\n输入 reliefmesh-hub help [命令路径] 查看完整说明。"},
	"id": {"显示本设备的成员 ID（数据目录中还没有设备时创建一个）",
		"显示数据目录中设备的成员 ID：协调员为它背书时用的号码（`reliefmesh-hub endorse 成员 ID`）。\n" +
			"在空的数据目录上第一次运行时会创建设备（它的密钥）；其他子命令拒绝没有设备的数据目录。"},
	"import": {"从 CSV、XLSX、HXL 或 wuhan2020 JSON 文件导入需求和供给",
		"import 读取每个文件（中文或英文表头的 CSV 或 XLSX、带 HXL 标签的表格、wuhan2020 的 JSON），\n" +
			"清理后把各行记录为需求或供给。再次导入同一个文件不会新建任何东西；疑似与已有需求重复的\n" +
			"会加上 possible_duplicate 标签，留给审核员。每个无法使用的行或值都会列出其文件、行和字段。\n\n" +
			"写入之前先读完全部文件：有一个文件无法读取就停止导入，什么都不导入。--dry-run 说明导入将会\n" +
			"新建、更新、保留、跳过和标记哪些记录，不写入任何内容。读文件时按 Ctrl-C 不写入任何内容；\n" +
			"导入中按 Ctrl-C 会在两批（每批 25 条记录）之间停下，说明已写入多少条，并以状态 1 退出\n" +
			"（再运行一次同样的导入即可补上其余的）；再按一次 Ctrl-C 立即结束。`serve` 运行时，导入经\n" +
			"它的控制套接字进行，Ctrl-C 同样在那里停下导入。"},
	"inbox": {"显示等待本设备成员处理的事项（待答复）：已逾期和快到期的在前", ""},
	"init":  {"建立一个网络（一个事件），本设备是它的首位协调员", ""},
	"install-service": {"把枢纽安装为 systemd 服务（Linux）：服务单元、程序、数据在 /var/lib/reliefmesh，日志在 journal",
		"install-service 让这台电脑开机时运行枢纽（站点上的树莓派或服务器）。它把本程序复制到\n" +
			"/usr/local/bin/reliefmesh-hub，写入服务单元 /etc/systemd/system/reliefmesh-hub.service\n" +
			"（DynamicUser=：systemd 为枢纽创建一个用户来运行它，不必另建账户），数据目录是 /var/lib/reliefmesh，\n" +
			"日志在 journal（journalctl -u reliefmesh-hub），然后运行 systemctl daemon-reload 并启用服务。\n" +
			"它不启动服务：数据目录需要先有网络（用 --data-dir /var/lib/reliefmesh 运行 init 或 join），\n" +
			"最后几行会说明。--dry-run 只显示将要做什么，不做任何改动。--root DIR 写到 DIR 下而不是 /，\n" +
			"也不运行 systemctl（用于准备中的系统镜像和测试）。请以 root 运行。不使用 --data-dir：服务的\n" +
			"数据目录总是 /var/lib/reliefmesh。\n\n" +
			"--encrypt 让枢纽的本机数据静态加密（被偷走的 SD 卡或硬盘不会泄露任何内容）：随机密钥写入\n" +
			"/etc/reliefmesh/store.key（仅 root 可读，权限 0600；请另行备份，没有它就无法打开数据），已有则沿用；\n" +
			"服务单元把它作为 systemd 凭据交给枢纽（LoadCredential=，systemd 250 或更新）。然后按最后几行\n" +
			"的说明，用 --key-file /etc/reliefmesh/store.key 初始化数据目录。"},
	"join": {"让数据目录准备加入某个加入码的网络，并显示本设备的成员 ID",
		"加入 CODE（来自 `reliefmesh-hub join-code` 或成员的应用）的网络：数据目录从此接受该网络的更改，\n" +
			"并保存加入码（有枢纽在服务数据目录时也一样：经控制套接字告诉它，由它拨打加入码中的地址）。\n" +
			"请一位成员为显示的成员 ID 背书；`reliefmesh-hub serve` 会拨打加入码中的地址，等待背书，然后同步补齐。"},
	"join-code": {"显示加入码（文字和二维码），新成员输入或扫描它即可加入本网络",
		"显示本网络的加入码：网络的 ID 和名称，以及可以连到本节点的地址。有枢纽在服务数据目录时\n" +
			"用它的监听地址；否则用 --addr 给出（例如 /ip4/192.168.1.10/tcp/4717；会自动加上\n" +
			"/p2p/<本节点 ID>）。第一行只有加入码本身，供脚本使用。"},
	"members": {"显示网络的成员名册：每位成员、角色、由谁背书、是否已撤销", ""},
	"recover": {"把损坏的本机数据移到一旁并保留设备密钥；或用 --resume 不等同伴直接恢复写入",
		"不带选项：把数据目录中损坏的本机数据（db）移到 db.damaged-时间，保留设备密钥，这样设备以同一\n" +
			"成员的身份重新加入网络，从同伴或同步包取回自己的记录流后继续写入。运行时不能有枢纽在服务\n" +
			"该数据目录。\n" +
			"带 --resume：让没有正常停止的设备不等同伴或同步包交回它自己最新的更改就再次写入；只在没有\n" +
			"其他设备持有本设备更新的更改时使用。"},
	"rekey": {"加密本机数据，或更换其密钥或口令",
		"加密数据目录中未加密的本机数据，或更换已加密数据的密钥。当前密钥由 --key-file 或\n" +
			"RELIEFMESH_STORE_KEY 给出，或询问当前口令。新密钥是 --new-key-file FILE（读取它；不存在时\n" +
			"用新的随机密钥创建），或新口令（--new-passphrase，输入两遍；从标准输入时：当前、新、新，每行一个）。\n" +
			"未加密的数据被复制到一个新的加密目录，用全部密钥打开成功后才替换原目录；已加密的数据保留其文件，\n" +
			"只重新加密 Badger 的密钥表。任何一步失败，本机数据保持原样。运行时不能有枢纽在服务该数据目录。"},
	"serve": {"运行无界面节点：保存全部数据，为成员提供同步补齐、gossip 广播和中继",
		"作为枢纽运行本设备，直到收到 SIGINT 或 SIGTERM：监听 --listen（multiaddr，默认端口 4717 的\n" +
			"TCP 和 QUIC），与 --peer 的地址（以 /p2p/节点ID 结尾的 multiaddr）保持连接，为成员提供同步补齐\n" +
			"和 gossip 广播，并在成员之间中继（circuit relay v2）。用加入码加入的节点（`join` 或 --join）会\n" +
			"一直拨打加入码中的地址，直到有成员为它背书（“等待背书”）。\n" +
			"运行期间，其他子命令经数据目录中的控制套接字 hub.sock 访问本节点。停止时正常关闭本机数据：\n" +
			"每条已写入的更改都会保留。"},
	"status": {"显示本设备的成员 ID、网络、角色、各状态的需求数、成员、版本向量和同伴", ""},
	"undo-import": {"撤回一次导入新建的记录（作为一条签名的更改），导入后已有人处理的除外",
		"undo-import 读取导入时用 --json 输出的报告（import 文件 --json > 报告.json），把其中新建、\n" +
			"此后无人处理也无人修改的需求作为一条签名的更改撤回（每条加上一个撤回步骤，备注“" + desk.UndoNote + "”），\n" +
			"并让它新建的供给到期（有效期到现在为止）。已被处理、编辑、关闭或更新的记录会列出原因，\n" +
			"保持原样。--dry-run 列出两者，不写入任何内容。"},
	"unlock": {"为等待中的枢纽输入静态加密的本机数据的口令",
		"读取数据目录中本机数据的口令（从终端读取且不回显，或读取标准输入的一行）并核对。等待口令的\n" +
			"`reliefmesh-hub serve`（其本机数据已锁定）经控制套接字收到口令后启动。带 --write-key FILE 时，\n" +
			"存储密钥写入一个新文件 FILE（权限 0600），供 `--key-file FILE` 使用：请把它放在内存盘（tmpfs）上，\n" +
			"切勿放在本机数据旁边。"},
	"verify": {"离线核验公告的签名：谁签署的、什么角色、由谁背书",
		"verify 根据签名文件 FILE.sig（由 export 写在它旁边；--sig 可指定另一个）核验 FILE 是否是某个聚援\n" +
			"网络的成员签署的公告，且未被改动。不需要网络：.sig 带有接纳签署人的签名成员更改，一直到网络的\n" +
			"创建者，而创建者的密钥必须与网络 ID 相符。带 --network 时，公告必须来自该网络（加入码或 XLSX\n" +
			"元数据表中的 ID）。当 --data-dir 中有本设备在同一网络的本机数据（且没有枢纽在服务它）时，本设备\n" +
			"知道已被撤销的签署人也会被拒绝。\n\n" +
			"它显示谁签署、什么角色、由谁背书直到创建者；或者确切地说明哪里没通过（文件被改动、未知或被调换\n" +
			"的签署人、链中缺少一环、另一个网络、签署人已被撤销），并以状态 1 退出。"},
	"verify-release": {"对照维护者签名的 SHA-256 清单，核验聚援的发布文件（用 U 盘带来的）",
		"verify-release 核验 FILE（安装包、zip、枢纽程序）是否属于聚援的某个发布版本：发布版本的\n" +
			"SHA256SUMS 必须由本程序内置的某个维护者密钥签名（SHA256SUMS.minisig，minisign 格式，ed25519），\n" +
			"并且列出 FILE 的 SHA-256（名称不限：改过名的副本按内容也能找到）。不需要网络。默认在 FILE 旁边\n" +
			"找 SHA256SUMS 及其签名。它用文字说明核验结果，FILE 未通过验证时以状态 1 退出。--key 增加一个\n" +
			"信任的公钥（minisign 的 .pub 文件）；由它签名的发布版本会注明“不是维护者的”。"},
}

// flagsZH are the flags' usage in Chinese, by "path --name" ("" path for
// the program's global flags; --help by "path --help").
var flagsZH = map[string]string{
	" --data-dir": "存放本机数据和设备密钥的数据目录（环境变量 RELIEFMESH_DATA）",
	" --key-file": "存放静态加密的本机数据的存储密钥的文件（权限 0600；或环境变量 RELIEFMESH_STORE_KEY）；用于 init 时不存在则创建",
	" --lang":     "消息的语言：zh-CN 或 en（默认：LC_ALL、LC_MESSAGES 或 LANG 以 zh 开头时为 zh-CN，否则为 en）；--json 输出始终是英文代码",

	"bundle export --for":        "只导出该成员在上次同步时缺少的更改",
	"bundle export --key":        "携带发布版本前核验其签名时，也信任这个 minisign 公钥文件（可重复）",
	"bundle export --output":     "要写入的同步包文件",
	"bundle export --release":    "在同步包中携带这个发布文件（安装包或程序）及其签名的 SHA-256 清单",
	"bundle export --sig":        "清单的签名（默认：清单路径加 .minisig）",
	"bundle export --since-file": "只导出这个版本向量（CBOR，来自 bundle vv 命令）缺少的更改",
	"bundle export --sums":       "发布版本的 SHA256SUMS（默认：在 --release 旁边）",
	"bundle import --key":        "对携带的发布版本也信任这个 minisign 公钥文件（可重复；会注明不是维护者的）",
	"bundle vv --output":         "要写入的文件",

	"completion bash --no-descriptions":       "补全时不显示说明",
	"completion fish --no-descriptions":       "补全时不显示说明",
	"completion powershell --no-descriptions": "补全时不显示说明",
	"completion zsh --no-descriptions":        "补全时不显示说明",

	"covenant --file":  "契约正文所在的 UTF-8 文本文件",
	"covenant --title": "这一版的标题",

	"endorse --name": "成员的名字",
	"endorse --role": "给予的角色",

	"export --format":              "csv、xlsx、hxl、json 或 text（默认：按 -o 的扩展名）",
	"export --include-unpublished": "包括尚未发布的需求（练习网络）",
	"export --lang":                "公告的语言（表头、状态、类别、文字摘要）：zh-CN（默认）或 en",
	"export --level":               "public 公开、team 团队内部（加上地址）或 restricted 受限（加上联系人；协调员和审核员）",
	"export --no-sign":             "不写 FILE.sig（让收到的人核实是谁写了公告的签名）",
	"export --output":              "输出文件（必填；- 表示标准输出）；扩展名决定格式（hxl 用 .hxl.csv，text 用 .txt）",
	"export --public":              "只含公开字段（默认；为脚本保留）",

	"import --dry-run":      "说明导入将会新建、更新、保留、跳过和标记哪些记录；不写入任何内容",
	"import --json":         "以 JSON 输出报告",
	"import --kind":         "把每条记录都当作需求或供给：demand 或 offer（默认：按文件猜测）",
	"import --mapping":      "使用这个列映射（JSON，见 importer.Mapping）代替建议的映射",
	"import --one-is-count": "把数量 1 读作一件，而不是“需要”（2020 年表格的惯例）",

	"inbox --json":  "输出 JSON，供脚本使用",
	"inbox --limit": "最多显示这么多项，最紧急的在前，并说明略去了多少（0：全部；--json 输出全部）",

	"init --member-name": "成员们看到的您的名字（默认 \"hub\"）",
	"init --name":        "事件的名称",

	"install-service --copy-binary": "把本程序复制到 /usr/local/bin/reliefmesh-hub",
	"install-service --dry-run":     "显示将要写入和运行的内容，不做任何改动",
	"install-service --enable":      "开机时启用服务（systemctl enable）",
	"install-service --encrypt":     "用密钥文件 /etc/reliefmesh/store.key（0600，不存在则创建）静态加密枢纽的本机数据",
	"install-service --listen":      "服务监听的 multiaddr（可重复；默认端口 4717 的 TCP 和 QUIC）",
	"install-service --root":        "写到这个文件夹下而不是 /（此时不运行 systemctl）",

	"join-code --addr": "没有枢纽在服务数据目录时，可以连到本节点的地址（可重复）",
	"join-code --png":  "同时把加入码的二维码图片（PNG）写入这个文件，用于打印或发送",
	"join-code --qr":   "同时以二维码显示加入码",

	"members --json": "输出 JSON，供脚本使用",

	"recover --resume": "不等同伴或同步包就再次写入（只在没有其他设备持有本设备更新的更改时使用）",

	"rekey --new-key-file":   "新存储密钥的文件（不存在则用新的随机密钥创建）",
	"rekey --new-passphrase": "新口令（输入两遍）",

	"serve --interval": "定期同步补齐的间隔",
	"serve --join":     "先加入这个加入码的网络，并一直拨打其中的地址直到获得背书（见 join 命令）",
	"serve --listen":   "监听的 multiaddr（可重复；默认 /ip4/0.0.0.0/tcp/4717、/ip4/0.0.0.0/udp/4717/quic-v1、/ip6/::/tcp/4717、/ip6/::/udp/4717/quic-v1）",
	"serve --log-json": "以 JSON 行而不是文本记录日志",
	"serve --map":      "事件地区的街道图（PMTiles 文件），提供给成员在地图页下载（默认：存在时用 DATA/maps/area.pmtiles）",
	"serve --mdns":     "在本地网络中发现成员（mDNS，限于本网络 ID）",
	"serve --peer":     "保持连接的同伴的 multiaddr（可重复）",
	"serve --redial":   "多久重新拨打一次未连接的同伴",
	"serve --relay":    "在成员之间中继连接（circuit relay v2）",
	"serve --verbose":  "记录调试信息",

	"status --json": "输出 JSON，供脚本使用",

	"undo-import --dry-run": "列出将撤回和将保留的记录；不写入任何内容",
	"undo-import --json":    "以 JSON 输出计划",

	"unlock --write-key": "把存储密钥写入这个新文件（权限 0600），供 --key-file 使用",

	"verify --network": "公告必须来自的网络 ID",
	"verify --sig":     "签名文件（默认：FILE.sig）",

	"verify-release --key":  "也信任这个 minisign 公钥文件（可重复；会注明不是维护者的）",
	"verify-release --sig":  "清单的签名（默认：清单路径加 .minisig）",
	"verify-release --sums": "发布版本的 SHA256SUMS（默认：在 FILE 旁边）",
}

// usageTemplateZH is cobra's usage template (v1.10) in Chinese.
const usageTemplateZH = `用法：{{if .Runnable}}
  {{.UseLine | zhUse}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} [命令]{{end}}{{if gt (len .Aliases) 0}}

别名：
  {{.NameAndAliases}}{{end}}{{if .HasExample}}

示例：
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}{{$cmds := .Commands}}

可用的命令：{{range $cmds}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

选项：
{{.LocalFlags.FlagUsages | zhFlags | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableInheritedFlags}}

全局选项：
{{.InheritedFlags.FlagUsages | zhFlags | trimTrailingWhitespaces}}{{end}}{{if .HasHelpSubCommands}}

其他帮助主题：{{range .Commands}}{{if .IsAdditionalHelpTopicCommand}}
  {{rpad .CommandPath .CommandPathPadding}} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableSubCommands}}

运行 "{{.CommandPath}} [命令] --help" 查看某个命令的详细说明。{{end}}
`

// flagDefault is pflag's "(default …)" at the end of a flag's line.
var flagDefault = regexp.MustCompile(`(?m) \(default (.*)\)$`)

func init() {
	cobra.AddTemplateFunc("zhFlags", func(s string) string {
		return flagDefault.ReplaceAllString(s, "（默认 $1）")
	})
	cobra.AddTemplateFunc("zhUse", func(s string) string {
		if t, ok := strings.CutSuffix(s, " [flags]"); ok {
			return t + " [选项]"
		}
		return s
	})
}

// helpPath is c's path without the program's name: "" for the program,
// "bundle export".
func helpPath(c *cobra.Command) string {
	p := c.CommandPath()
	if i := strings.IndexByte(p, ' '); i >= 0 {
		return p[i+1:]
	}
	return ""
}

// sayHelpIn puts the help of every command under root in sp's language:
// in Chinese the Short, Long and flag usage of helpZH and flagsZH (cobra's
// --help flag as 显示…的帮助) and the Chinese usage template; in English
// nothing changes.
func sayHelpIn(root *cobra.Command, sp speaker) {
	if sp.lang != langZH {
		return
	}
	root.SetUsageTemplate(usageTemplateZH)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		path := helpPath(c)
		if h, ok := helpZH[path]; ok {
			c.Short, c.Long = h[0], h[1]
		}
		say := func(f *pflag.Flag) {
			if f.Name == "help" {
				f.Usage = "显示 " + c.Name() + " 的帮助"
				return
			}
			if u, ok := flagsZH[path+" --"+f.Name]; ok {
				f.Usage = u
			}
		}
		c.LocalNonPersistentFlags().VisitAll(say)
		c.PersistentFlags().VisitAll(say)
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(root)
}
