package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"unicode"

	"github.com/reliefmesh/reliefmesh/bulletin"
	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/internal/atomicfile"
	"github.com/reliefmesh/reliefmesh/sync/bundle"
)

// cliWords are the command line's sentences found English-only at the end
// of session 9: the progress words, the errors of export, join-code, verify,
// init, import and the other commands, a port in use, a bad --role, what
// bundle export and join-code print. Each sentence is kept with both its
// languages side by side ({zh-CN, en}); init adds them to hubWords, so that
// speaker.t says them and TestHubWordsComplete checks their fmt verbs. A
// sentence that wraps an error keeps it with %w (speaker.errorf), so that
// explainIn still finds what it wraps. The English is the text the hub
// printed before, unchanged: scripts and the tests that read it still do.
var cliWords = map[string][2]string{
	// progress (stderr): a bundle import's bar, a sheet import's bar and lines
	"progress.bundle":      {"正在导入更改", "importing"},
	"progress.import":      {"正在导入记录", "importing"},
	"progress.reading":     {"正在读取 %s（%.1f MB）……", "reading %s (%.1f MB)…"},
	"progress.records":     {"正在导入 %d 条记录……", "importing %d {record|records}…"},
	"progress.imported":    {"已导入 %d/%d 条记录……", "imported %d/%d records…"},
	"progress.viahub":      {"正在通过服务 %[2]s 的枢纽导入 %[1]d 条记录……", "importing %[1]d {record|records} through the hub serving %[2]s…"},
	"progress.viahub.plan": {"正在通过服务 %[2]s 的枢纽试算 %[1]d 条记录的导入……", "planning the import of %[1]d {record|records} through the hub serving %[2]s…"},

	// inbox --limit: what was left out
	"inbox.cut.head": {"共 %d 项等待本成员处理（其中 %d 项已逾期）；以下是最紧急的 %d 项：", "%d {entry waits|entries wait} on this member (%d of them overdue); the %d most urgent:"},
	"inbox.cut.tail": {"……另有 %d 项未显示：用 --limit 0 显示全部，或用 --json 输出全部。", "… %d more not shown: --limit 0 prints them all, --json writes them all."},

	// cobra's own errors (explainInput)
	"explain.flagvalue": {"选项的值不对或缺少值（例如时长写成 30s 或 5m，开关写成 --mdns=false）：运行 `reliefmesh-hub 命令 --help` 查看各选项的写法。", "A flag's value is wrong or missing (a duration is written 30s or 5m, a switch --mdns=false): run `reliefmesh-hub COMMAND --help` for how each is written."},

	// bundle export / vv
	"bundle.wrote":       {"已导出到 %[2]s：共 %[1]d 条更改。", "wrote %d {change|changes} to %s"},
	"bundle.release":     {"已把发布版本 %s 加入同步包 %s", "added the release %s to %s"},
	"bundle.neversynced": {"从未与 %s 同步过：导出全部更改", "never synced with %s: exporting everything"},
	// the app's words (error.bundle_missing, bundle_unreadable; "choose the
	// file again" becomes "give the path again"), the error's after them
	"bundle.missing":    {"找不到同步包文件 %s（已被移走或改名，或 U 盘已拔出）：请检查路径后重试。（%w）", "The bundle file %s is not there (moved, renamed, or the USB stick was pulled out): check the path and try again. (%w)"},
	"bundle.unreadable": {"无法读取同步包文件 %s（%w）：请检查 U 盘是否插好、文件能否打开，然后重试。本机数据没有受到影响。", "The bundle file %s cannot be read (%w): check that the USB stick is in and the file opens, and try again. This device's data is not affected."},
	"bundle.needout":    {"-o 文件：请给出要写入的同步包文件", "-o FILE: the bundle file to write is required"},
	"bundle.needvvout":  {"-o 文件：请给出要写入的文件", "-o FILE: the file to write is required"},
	"bundle.sinceorfor": {"--since-file 和 --for 只能给一个", "--since-file and --for: give one or the other"},
	"bundle.sincefile":  {"--since-file：无法读取版本向量文件：%w", "--since-file: %w"},
	"bundle.notvv":      {"--since-file %s 不是版本向量（应是对方用 `bundle vv -o` 写的文件）：%w", "--since-file %s: not a version vector: %w"},
	"bundle.for":        {"--for 不是成员 ID：%w", "--for: %w"},
	"bundle.exportfail": {"无法导出同步包 %s：%w", "export %s: %w"},
	"bundle.vvfromhub":  {"无法从枢纽读取版本向量：%w", "version vector from the hub: %w"},
	"bundle.hubcut":     {"枢纽没有确认导出（传输中断）：%w", "the hub did not confirm the export (the stream was cut): %w"},
	"bundle.file":       {"同步包 %s：%w", "%s: %w"},
	"bundle.hubanswer":  {"同步包 %s：枢纽的回答无法读取：%w", "%s: the hub's answer is unreadable: %w"},
	"bundle.key":        {"--key：无法读取公钥（什么都没有导入）：%w", "--key: %w (nothing was imported)"},
	"bundle.isbundle":   {"什么都没有导入：%[1]s 是同步包（记录更改的同步文件，例如来自 U 盘），不是需求或供给的表格：请用 `reliefmesh-hub bundle import %[1]s`", "nothing was imported: %[1]s is a bundle (a sync file of changes, e.g. from a USB stick), not a table of demands or offers: use `reliefmesh-hub bundle import %[1]s`"},
	"carry.nosums":      {"--release：无法读取发布版本的 %s（请用 --sums 指定）：%w", "--release: the release's %s: %w (give it with --sums)"},
	"carry.unsigned":    {"--release：%s 处没有签名：发布版本将不带签名地携带，对方站点会被告知无法核实它", "--release: no signature at %s: the release is carried unsigned, and the other site will be told it cannot be verified"},
	"carry.sig":         {"--release：无法读取签名：%w", "--release: its signature: %w"},
	"carry.err":         {"--release：%w", "--release: %w"},
	"carry.add":         {"无法把发布版本加入同步包 %s：%w", "add release to %s: %w"},
	"carry.addkept":     {"无法把发布版本加入同步包 %s（同步包中的更改已保留，只是没有发布版本）：%w", "add release to %s (the bundle's changes are kept without it): %w"},
	"carry.key":         {"--key：无法读取公钥：%w", "--key: %w"},

	// bulletin export (export)
	"export.publiclevel":       {"--public 与 --level %s 只能选一个", "--public and --level %s: choose one"},
	"export.needout":           {"请用 -o 文件 指定公告要写入的文件（扩展名决定格式），或用 -o - 加 --format csv|xlsx|hxl|json|text 写到标准输出", "-o FILE is required: the file to write the bulletin to (its extension gives the format), or -o - with --format csv|xlsx|hxl|json|text for standard output"},
	"export.format":            {"-o %q：请用 --format csv|xlsx|hxl|json|text 或文件扩展名说明格式", "-o %q: say the format with --format csv|xlsx|hxl|json|text or a file extension"},
	"export.fail":              {"无法导出公告 %s：%w", "export %s: %w"},
	"export.fromhub":           {"无法导出公告 %s：枢纽出错：%w", "export %s: from the hub: %w"},
	"export.signfail":          {"无法导出公告 %s：签名出错：%w", "export %s: signature: %w"},
	"export.empty.unpublished": {"公告为空：还没有已发布的需求；另有 %d 条需求待审核或待发布。审核员发布后它们就会出现在公告中；如需现在一并导出，请加 --include-unpublished。", "The bulletin is empty: no demand is published yet, and %d {demand is|demands are} waiting for review or publication. They appear in the bulletin once a reviewer publishes them; to export them now, add --include-unpublished."},
	"export.empty":             {"公告为空：这个网络还没有已发布或处理中的需求。", "The bulletin is empty: this network holds no published or in-progress demand yet."},
	"export.notsigned":         {"未签名：%v\n  公告已写入，但没有 %s；收到的人无法核实是谁写的", "NOT SIGNED: %v\n  the bulletin was written without %s; receivers cannot check who wrote it"},

	// join-code / join
	"joincode.qr":         {"无法生成加入码的二维码：%w", "join code QR: %w"},
	"joincode.png":        {"--png %s：无法写入二维码图片：%w", "--png %s: %w"},
	"joincode.pngwrote":   {"二维码图片已写入 %s", "QR picture written to %s"},
	"joincode.network":    {"网络：    %s（%s）", "network:   %s (%s)"},
	"joincode.noaddrs":    {"地址：    无", "addresses: none"},
	"joincode.address":    {"地址：    %s", "address:   %s"},
	"joincode.noaddrwarn": {"注意：这个加入码里没有地址：请先运行 `serve`，或用 --addr 给出地址（拿到它的新成员只能在同一局域网里找到本节点）", "WARNING: this code carries no address: start `serve` first or pass --addr (a newcomer given it can only find this node on the same LAN)"},
	"joincode.addrhub":    {"--addr：有枢纽在服务这个数据目录，加入码用它自己的监听地址（要给出其他地址请先停止它）", "--addr: a hub serves this data dir; its own listen addresses are used (stop it to give others)"},
	"joincode.nonetwork":  {"还没有网络：请先运行 `reliefmesh-hub init --name 事件名称`（或加入一个网络）", "no network yet: run `reliefmesh-hub init --name INCIDENT` (or join one) first"},
	"joincode.addr":       {"--addr 地址无效：%w", "--addr: %w"},
	"serve.join":          {"--join 加入码无效：%w", "--join: %w"},

	// desk errors of the command line (cliError), by code (and reason)
	"desk.role": {"--role %q 不是角色：请用 coordinator（协调员）、reviewer（审核员）、volunteer（志愿者）或 observer（观察员）", "--role: %q is not a role: want coordinator, reviewer, volunteer or observer"},

	// a port in use, the data dir in use, the street map
	"serve.porttaken": {"无法启动网络节点：端口 %s 正被另一个程序占用（这台电脑上的另一个聚援或枢纽？）：请先停止它，或用 --listen 监听另一个端口", "start network node: port %s is used by another program (another ReliefMesh or hub on this computer?): stop it, or listen on another port"},
	"serve.node":      {"无法启动网络节点：%w", "%w"},
	"serve.close":     {"关闭本机数据时出错：%w", "close store: %w"},
	"serve.map":       {"--map 街道图不可用：%w", "--map: %w"},
	"map.notpmtiles":  {"%s 不是街道图包（PMTiles 第 3 版）", "%s is not a street map package (PMTiles version 3)"},
	"map.toolarge":    {"%s 超过 %d MiB，成员最多只下载这么大的街道图", "%s is larger than %d MiB, the most members fetch"},
	"map.cut":         {"%s 不完整：文件头说有 %d 字节，文件只有 %d 字节（请重新复制）", "%s is cut short: its header names %d {byte|bytes}, the file holds %d (copy it again)"},
	"err.inuse":       {"数据目录 %s 正被另一个进程使用（桌面应用？）：请关闭它，或改在那里运行 `reliefmesh-hub serve` 后重试", "the data dir %s is in use by another process (the desktop app?): close it, or run `reliefmesh-hub serve` there instead and retry"},
	"ctl.permission":  {"有枢纽在服务 %s，但它的控制套接字 %s 拒绝了当前用户：请用运行枢纽的用户执行", "a hub serves %s but its control socket %s refuses this user: run as the hub's user"},
	"ctl.unreadable":  {"服务 %s 的枢纽对 %s 的回答无法读取：%w", "the hub serving %s answered %s with something unreadable: %w"},

	// init, endorse
	"init.noname":    {"--name：请填写事件名称", "--name: the incident's name is required"},
	"init.hubserves": {"有枢纽在服务 %s（reliefmesh-hub serve）：没有创建任何东西；请先停止它，或用另一个 --data-dir 建立新网络", "a hub serves %s (reliefmesh-hub serve): nothing created; stop it first, or use another --data-dir for a new network"},
	"init.already":   {"%s 已属于网络 %q（%s）：没有创建任何东西；建立新网络请用另一个 --data-dir", "%s already belongs to network %q (%s): nothing created; use another --data-dir for a new network"},
	"init.left":      {"%[1]w（init 在 %[3]s 中创建了 %[2]s，但无法删除：请删除它，再运行一次 init）", "%[1]w (init created %[2]s in %[3]s and could not remove it: delete it, then run init again)"},
	"init.undone":    {"%w（没有创建任何东西：init 在 %s 中开始的内容已删除；排除原因后再运行一次 init）", "%w (nothing was created: what init had begun in %s is removed; run init again once the cause is fixed)"},
	// endorse's args: member id, (name,) role code(s), then the roles' labels
	"endorse.done":    {"已为 %[1]s 背书，角色：%[3]s", "endorsed %[1]s as %[2]s"},
	"endorse.changed": {"%[1]s（%[2]s）已是成员：角色从%[6]s%[3]s为%[7]s", "%[1]s (%[2]s) was already a member: %[3]s from %[4]s to %[5]s"},
	"role.promoted":   {"升", "promoted"},
	"role.demoted":    {"降", "demoted"},

	// import, undo-import
	"import.mapping":       {"映射文件 %s 无法使用：%w", "%s: %w"},
	"import.kind":          {"--kind %q：应为 %s；什么都没有导入", "--kind %q: want %s; nothing was imported"},
	"import.kind.or":       {" 或 ", " or "},
	"import.dryinterrupt":  {"试运行已中断：未写入任何内容", "dry run interrupted: nothing was written"},
	"import.readinterrupt": {"读取 %s 时导入被中断：未写入任何内容", "import interrupted while reading %s: nothing was written"},
	"import.interrupted0":  {"读取时导入被中断：未写入任何内容", "import interrupted while reading: nothing was written"},
	"import.unreadable":    {"什么都没有导入：%s", "nothing was imported: %s"},
	"import.file.missing":  {"找不到文件 %s（路径写错了，或文件已被移走）", "%s: no such file (a mistyped path, or the file was moved)"},
	"import.file.denied":   {"无权读取文件 %s", "%s: not allowed to read it"},
	"import.file.dir":      {"%s 是文件夹，不是表格文件", "%s is a folder, not a sheet"},
	"import.file.other":    {"文件无法读取（原文：%s）", "%s"},
	"import.goodtoo":       {"；可以读取的文件也没有导入：%s（去掉无法读取的文件后导入，或修好它们后再运行同样的命令）", "; the readable files were not imported either: %s (import them without the unreadable ones, or fix those and run the same command again)"},
	"import.goodfile":      {"%s（%d 条记录）", "%s (%d {record|records})"},
	"import.nothingyet":    {"导入已中断：未写入任何内容", "import interrupted: nothing was written"},
	"import.nocancel":      {"导入已中断，但枢纽没有接受取消：%w", "import interrupted, but the hub did not take the cancel: %w"},
	"import.encoding":      {"%s：按 %s 读取；请检查下面的文字是否正确", "%s: read as %s; check that the text below reads right"},
	"import.header":        {"  表头（第 %d 行）：%s", "  header (row %d): %s"},
	"import.dup":           {"  %s 第 %d 行 %s ~ %s %s：%s", "  %s row %d %s ~ %s %s: %s"},
	"import.upd":           {"  %s 第 %d 行 %s %s：%s %s", "  %s row %d %s %s: %s %s"},
	"import.sheet":         {"，工作表“%s”", ", sheet %s"},
	"import.row":           {"  第 %d 行：%s", "  row %d: %s"},
	"undo.dryrun":          {"试运行：  未写入任何内容；撤销这次导入将会：", "dry run:    nothing written; undoing the import would do this:"},
	"undo.withdrawn":       {"已撤回：  %d", "withdrawn: %d"},
	"undo.towithdraw":      {"将撤回：  %d", "to withdraw: %d"},
	"undo.kept":            {"保留：    %d", "kept:       %d"},
	"undo.read":            {"undo-import：无法读取报告：%w", "undo-import: %w"},
	"undo.dry":             {"undo-import：%s 是试运行的报告，试运行什么都没有写入；没有可撤销的", "undo-import: %s is the report of a dry run, which wrote nothing; nothing to undo"},
	// a file written (an export, a bundle) whose folder or disk refused it
	// (internal/atomicfile.Error's kinds): what, and what to do
	"write.dir_missing":              {"文件夹 %s 不存在", "the folder %s does not exist"},
	"write.not_a_dir":                {"%s 不是文件夹", "%s is not a folder"},
	"write.dir_not_writable":         {"文件夹 %s 不能写入", "the folder %s cannot be written"},
	"write.disk_full":                {"%s 所在的磁盘已满", "the disk of %s is full"},
	"explain.write.dir_missing":      {"文件夹 %s 不存在：请先创建它，或写到一个已有的文件夹。没有写入任何内容。", "The folder %s does not exist: create it first, or write to a folder that exists. Nothing was written."},
	"explain.write.not_a_dir":        {"%s 是一个文件，不是文件夹：请换一个文件夹。没有写入任何内容。", "%s is a file, not a folder: write to a folder instead. Nothing was written."},
	"explain.write.dir_not_writable": {"本用户不能写入文件夹 %s（没有权限，或是只读的盘）：请写到自己能写的文件夹（例如主目录），或请管理员开放权限。没有写入任何内容。", "This user may not write in the folder %s (no permission, or a read-only disk): write to a folder of your own (your home folder, say), or ask an administrator. Nothing was written."},
	"explain.write.disk_full":        {"%s 所在的磁盘已满：没有写入任何内容（临时文件已删除），同名的旧文件保持原样。请腾出空间，或写到另一块盘（如 U 盘）后重试。", "The disk of %s is full: nothing was written (the temporary file is removed), and an older file of that name is as it was. Free space, or write to another disk (a USB stick), and try again."},
	"explain.store.not_writable":     {"本用户不能写入文件夹 %s（没有权限，或是只读的盘）：打开本机数据也要在那里写入（锁文件），所以连查看也无法进行。请用拥有该目录的用户运行（例如枢纽服务的用户），或把目录交给当前用户（chown -R、chmod u+w），或用 --data-dir 选择别的目录。本机数据没有损坏：不要运行 recover。", "This user may not write in the folder %s (no permission, or a read-only disk): opening the store writes there too (its lock file), so even reading cannot go on. Run as the user who owns the directory (the hub service's user, say), or give the directory to this user (chown -R, chmod u+w), or choose another directory with --data-dir. The store is not damaged: do not run recover."},
	"explain.store.file_too_large":   {"写入本机数据时超过了文件大小上限（本进程的 ulimit -f、服务单元的 LimitFSIZE，或 FAT32 盘上每个文件 4 GiB）：打开本机数据要写入较大的文件，所以连查看也无法进行。请取消这个上限（ulimit -f unlimited，或删去 LimitFSIZE）后重试，或把数据目录放在别的文件系统上。本机数据没有损坏：不要运行 recover。", "A file size limit was met while writing the store (this process's ulimit -f, a unit's LimitFSIZE, or 4 GiB per file on a FAT32 disk): opening the store writes large files, so even reading cannot go on. Lift the limit (ulimit -f unlimited, or remove LimitFSIZE) and try again, or keep the data directory on another file system. The store is not damaged: do not run recover."},
	"undo.keptline":                  {"  %s %s：%s", "  %s %s: %s"},
	"undo.why.updated":               {"由本次导入更新，而不是由它创建：撤销只撤回导入创建的记录（被更新前的内容不会恢复）：保留", "updated by this import, not created by it: an undo withdraws only what it created (the values it replaced are not put back): kept"},
	"undo.why.changed":               {"导入后被修改过（编辑、加标签、合并，或被之后的导入更新）：保留", "changed since the import (edited, tagged, merged or updated by a later import): kept"},
	"undo.why.acted":                 {"导入后已有人处理：保留", "someone acted on it since the import: kept"},
	"undo.why.closed":                {"已关闭：保留", "already closed: kept"},
	"undo.why.notallowed":            {"您的角色无权撤回它：请找协调员", "your role may not withdraw it: ask a coordinator"},
	"undo.why.missing":               {"本机没有这条记录", "not in this store"},

	// verify, verify-release
	"verify.read":         {"无法读取要核验的文件 %s：%w", "verify %s: %w"},
	"verify.nosig":        {"无法核验 %s：没有签名文件 %s：请向发送方索取，或用 --sig 指定", "verify %s: no signature file %s: ask the sender for it, or name it with --sig"},
	"release.read":        {"verify-release：无法读取公钥：%w", "verify-release: read the key: %w"},
	"release.err":         {"verify-release：%w", "verify-release: %w"},
	"release.nosumsfile":  {"verify-release：%[2]s 处没有 %[1]s：请把发布版本的 %[1]s 和 %[3]s 复制到 %[4]s 旁边，或用 --sums 和 --sig 指定", "verify-release: no %[1]s at %[2]s: copy the release's %[1]s and %[3]s beside %[4]s, or give them with --sums and --sig"},
	"release.notverified": {"%s 未通过验证", "%s is not verified"},

	// at rest: unlock, rekey, the key file
	"atrest.keywritten":     {"新的存储密钥已写入 %s（仅本用户可读）：请另行备份，丢失它就无法打开本机数据。", "A new store key was written to %s (readable by this user only): back it up elsewhere; without it this store cannot be opened."},
	"atrest.prompt":         {"口令：", "passphrase: "},
	"atrest.prompt.current": {"当前口令：", "current passphrase: "},
	"atrest.prompt.new":     {"新口令：", "new passphrase: "},
	"atrest.prompt.again":   {"再输一遍：", "again: "},
	"atrest.already":        {"服务中的枢纽已解锁。", "The hub serving this data dir is already unlocked."},
	"atrest.unlocked":       {"已解锁：枢纽正在打开本机数据。", "Unlocked: the hub is opening its store."},
	"atrest.keyout":         {"存储密钥已写入 %[1]s（仅本用户可读）：用 --key-file %[1]s 启动，用完后删除。", "The store key was written to %[1]s (readable by this user only): start with --key-file %[1]s and delete it afterwards."},
	"atrest.passright":      {"口令正确。没有枢纽在服务 %s：先启动 `reliefmesh-hub serve`，在它等待时再运行 unlock。", "The passphrase is right. No hub serves %s: start `reliefmesh-hub serve` and run unlock while it waits."},
	"atrest.newkeywritten":  {"新的存储密钥已写入 %s：请另行备份。", "A new store key was written to %s: back it up elsewhere."},
	"atrest.encrypted":      {"本机数据已加密：复制了 %d 个键，用时 %s；未加密的原目录已删除。", "The store is encrypted: %d {key|keys} copied in %s; the plaintext original was removed."},
	"atrest.rekeyed":        {"存储密钥已更换，用时 %s（数据密钥表已用新密钥重新加密）。", "The store key was changed in %s (Badger's key registry re-encrypted with the new key)."},
	"atrest.next.unlock":    {"之后启动枢纽时用 `reliefmesh-hub unlock` 输入口令。", "From now on, type the passphrase with `reliefmesh-hub unlock` when the hub starts."},
	"atrest.next.keyfile":   {"之后用 --key-file %s 启动。", "From now on, start with --key-file %s."},
	"recover.resumed":       {"本设备可以再次写入。", "This device writes again."},
	"recover.moved":         {"已将损坏的数据移到 %s；设备密钥保留。下一步：用加入码重新加入网络（在一位成员那里运行 reliefmesh-hub join-code，再在这里运行 reliefmesh-hub join 加入码）；加入后可以导入同伴的同步包补上数据，但要连上一个同伴（reliefmesh-hub serve）取回本设备自己的最新更改后才会再写入。", "Moved the damaged store to %s; the device key is kept. Next: join the network again with a join code (run reliefmesh-hub join-code on a member's device, then reliefmesh-hub join CODE here); once joined, bundles from peers can be imported, but this device writes again only after a peer (reliefmesh-hub serve) gave it back its own newest changes."},
	"atrest.keyfile":        {"--key-file 存储密钥文件不可用：%w", "--key-file: %w"},
	"atrest.envkey":         {"环境变量 %s 中的存储密钥不可用：%w", "%s: %w"},
	"atrest.readpass":       {"无法读取口令：%w", "read passphrase: %w"},
	"atrest.emptypass":      {"口令是空的", "empty passphrase"},
	"atrest.stdinpass":      {"无法从标准输入读取口令：%w", "read passphrase from stdin: %w"},
	"atrest.nostdinpass":    {"标准输入中没有口令（每行一个）", "no passphrase on stdin (one line each)"},
	"atrest.stopped":        {"%s 中的本机数据仍锁着时，枢纽被停止了", "stopped while the store in %s was locked"},
	"atrest.plain":          {"%s 中的本机数据没有加密：没有需要解锁的（要加密请用 `reliefmesh-hub rekey`）", "the store in %s is not encrypted: nothing to unlock (encrypt it with `reliefmesh-hub rekey`)"},
	"atrest.nopass":         {"%s 中的本机数据没有口令：它的密钥用 --key-file 或 %s 给出", "the store in %s has no passphrase: its key is given with --key-file or %s"},
	"atrest.newkey":         {"请给出新的密钥：--new-key-file 文件 或 --new-passphrase（二选一）", "say the new key: --new-key-file FILE or --new-passphrase (one of them)"},
	"atrest.hubserves":      {"有枢纽在服务 %s：请先停止它", "a hub is serving %s: stop it first"},
	"atrest.needkey":        {"%s 中的本机数据已加密：请用 --key-file 或 %s 给出当前的密钥", "the store in %s is encrypted: give its current key with --key-file or %s"},
	"atrest.passdiffer":     {"两次输入的新口令不一样：什么都没有改变", "the two new passphrases differ: nothing was changed"},
	"atrest.newkeyfile":     {"--new-key-file 新密钥文件不可用：%w", "--new-key-file: %w"},

	// covenant, install-service
	"covenant.read":            {"无法读取契约正文：%w", "covenant: read the text: %w"},
	"covenant.notutf8":         {"%s 不是 UTF-8 文本（可能是 GBK）：请另存为 UTF-8 后重试", "covenant: %s is not UTF-8 text (saved as GBK?): save it as UTF-8 and try again"},
	"covenant.published":       {"已发布伙伴契约第 %d 版", "published covenant version %d"},
	"service.dryrun":           {"试运行：不做任何改动", "dry run: nothing is changed"},
	"service.binary.same":      {"程序：%s 已经是本程序", "binary: %s is already this program"},
	"service.binary":           {"程序：已把 %s 复制到 %s", "binary: copy %s to %s"},
	"service.binary.would":     {"程序：将把 %s 复制到 %s", "binary: would copy %s to %s"},
	"service.key.exists":       {"密钥：%s 已存在：本机数据用它加密", "key: %s exists: the store is encrypted with it"},
	"service.key.new":          {"密钥：已把新的随机存储密钥写入 %s（权限 0600）：请另行备份，没有它就无法打开枢纽的数据", "key: write a new random store key to %s (mode 0600): back it up elsewhere; without it the hub's data cannot be opened"},
	"service.key.new.would":    {"密钥：将把新的随机存储密钥写入 %s（权限 0600）：请另行备份，没有它就无法打开枢纽的数据", "key: would write a new random store key to %s (mode 0600): back it up elsewhere; without it the hub's data cannot be opened"},
	"service.unit.write":       {"服务单元：已写入 %s：", "unit: write %s:"},
	"service.unit.write.would": {"服务单元：将写入 %s：", "unit: would write %s:"},
	"service.data":             {"数据：已创建 %s（权限 0700；启动时由 systemd 交给服务的用户）", "data: create %s (mode 0700; systemd hands it to the service's user at start)"},
	"service.data.would":       {"数据：将创建 %s（权限 0700；启动时由 systemd 交给服务的用户）", "data: would create %s (mode 0700; systemd hands it to the service's user at start)"},
	"service.run.would":        {"运行：将运行 %s", "run: would run %s"},
	"service.run.notroot":      {"运行：不运行 %s（--root %s 不是 /：请在目标系统上运行）", "run: not running %s (--root %s is not /: run it on the target system)"},
	"service.run":              {"运行：%s", "run: %s"},
	"service.next.init":        {"下一步：给枢纽一个网络，然后启动它：", "next: give the hub a network, then start it:"},
	"service.next.initcmd":     {"    %s init --name \"事件名称\" --member-name \"枢纽名称\" --data-dir %s%s", "    %s init --name \"INCIDENT\" --member-name \"Hub NAME\" --data-dir %s%s"},
	"service.next.join":        {"    （或者加入已有的网络：%s join 加入码 --data-dir %s%s）", "    (or, to join an existing network: %s join CODE --data-dir %s%s)"},
	"service.next.start":       {"下一步：数据目录 %s 中已有设备；启动枢纽：", "next: the data directory %s already holds a device; start the hub:"},
	"service.next.status":      {"    运行时查看状态：%s status --data-dir %s", "    while it runs: %s status --data-dir %s"},
	"service.self":             {"install-service：找不到本程序的文件：%w", "install-service: find this program's file: %w"},
	"service.err":              {"install-service：%w", "install-service: %w"},
	"service.key":              {"install-service：存储密钥不可用：%w", "install-service: the store key: %w"},
	"service.unit":             {"install-service：无法写入服务单元文件：%w", "install-service: write the unit: %w"},
	"service.datadir":          {"install-service：无法创建数据目录：%w", "install-service: create the data directory: %w"},
	"service.cmd":              {"install-service：%s：%v：%s（服务单元已写好；排除问题后再运行一次）", "install-service: %s: %v: %s (the unit is written; fix this and run it again)"},
	"service.copy":             {"无法复制程序文件：%w", "copy the binary: %w"},
	"service.copyto":           {"无法把程序文件复制到 %s：%w", "copy the binary to %s: %w"},
}

func init() {
	for key, w := range cliWords {
		if _, ok := hubWords[langZH][key]; ok {
			panic("cliWords: " + key + " is in hubWords already")
		}
		hubWords[langZH][key], hubWords[langEN][key] = w[0], w[1]
	}
}

// printError says err on w as main does, in lang: "reliefmesh-hub: ", the
// error, then the hint (explainIn) on the next line. In Chinese, an error
// in English words only (a library's or cobra's) gets a sentence of ours
// in front: the hint when there is one, else 出错了 (the app's
// error.unknown), and the English after it as the original words (原文).
//
// A Chinese sentence that ends in English (ours around a library's error:
// "同步包 cut.rmbundle：bundle file is cut short …") is said in Chinese up
// to the English, then what the error is in Chinese words when we have them
// (zhWhat), and the English is marked as the original words (原文).
func printError(w io.Writer, lang string, err error) {
	how := explainIn(lang, err)
	if lang == langZH {
		if head, tail, ok := originalTail(err); ok {
			what := zhWhat(err)
			if what == "" {
				fmt.Fprintf(w, "reliefmesh-hub: %s：（原文：%s）\n", head, tail)
				if how != "" {
					fmt.Fprintln(w, how)
				}
				return
			}
			fmt.Fprintf(w, "reliefmesh-hub: %s：%s\n", head, what)
			if how != "" {
				fmt.Fprintln(w, how)
			}
			fmt.Fprintf(w, "（原文：%s）\n", tail)
			return
		}
	}
	if lang == langZH && !hasChinese(err.Error()) {
		if how == "" {
			how = strings.ReplaceAll(uiLabels[langZH]["error"]["unknown"], "{detail}", "")
			how = strings.TrimSuffix(how, "：") + "。"
		}
		fmt.Fprintln(w, "reliefmesh-hub:", how)
		fmt.Fprintf(w, "（原文：%v）\n", err)
		return
	}
	fmt.Fprintln(w, "reliefmesh-hub:", err)
	if how != "" {
		fmt.Fprintln(w, how)
	}
}

// englishWords finds English words in a sentence: a word of three letters
// or more, a space, another word.
var englishWords = regexp.MustCompile(`[A-Za-z]{3,} [A-Za-z]`)

// englishTail splits a Chinese sentence ending in English words at the
// first full-width colon after which no Chinese comes: head is the Chinese
// part, tail the English. ok is false when msg is not such a sentence (no
// Chinese, no English words at its end, or only a path or number there),
// and when the English is marked 原文 already ("文件无法读取（原文：…）",
// import.file.other): it is not marked twice.
func englishTail(msg string) (head, tail string, ok bool) {
	for i := 0; ; {
		j := strings.Index(msg[i:], "：")
		if j < 0 {
			return "", "", false
		}
		j += i
		head, tail = msg[:j], msg[j+len("："):]
		if strings.HasSuffix(head, "原文") {
			return "", "", false
		}
		if hasChinese(head) && !hasChinese(tail) && englishWords.MatchString(tail) {
			return head, tail, true
		}
		i = j + len("：")
	}
}

// originalTail splits err's message into our Chinese words and the English
// of the error they wrap, at that error's own text, which may hold Chinese
// (a path such as ~/桌面/公告.csv, a member's name): a damaged bundle
// file's error, a hub's coded answer, a file that could not be written
// (atomicfile, of any kind), a system's error naming a path; else an
// English tail (englishTail).
func originalTail(err error) (head, tail string, ok bool) {
	msg := err.Error()
	var fe *bundle.FileError
	var coded *codedError
	var werr *atomicfile.Error
	var perr *fs.PathError
	var lerr *os.LinkError
	inner := ""
	switch {
	case errors.As(err, &fe):
		inner = fe.Error()
	case errors.As(err, &coded):
		inner = coded.Error()
	case errors.As(err, &werr):
		inner = werr.Error()
	case errors.As(err, &perr):
		inner = perr.Error()
	case errors.As(err, &lerr):
		inner = lerr.Error()
	}
	if inner != "" {
		if i := strings.LastIndex(msg, "："+inner); i > 0 && hasChinese(msg[:i]) {
			return msg[:i], inner, true
		}
	}
	return englishTail(msg)
}

// zhWhat says in Chinese what err is when it is one of the errors the hub
// knows by type (a damaged bundle file, a file that is no bundle); "" for
// any other.
func zhWhat(err error) string {
	var fe *bundle.FileError
	var coded *codedError
	var werr *atomicfile.Error
	switch {
	case errors.As(err, &werr) && werr.Kind != "":
		return speakerOf(langZH).t("write."+werr.Kind, werr.Dir)
	case errors.As(err, &fe):
		return bundleFileZH[fe.Kind]
	case errors.As(err, &coded) && coded.code == desk.CodeBundleTruncated:
		return bundleFileZH[bundle.FileCutShort]
	case errors.Is(err, bundle.ErrNotBundle) || errors.As(err, &coded) && coded.code == desk.CodeNotBundle:
		return "这不是聚援的同步包"
	case errors.Is(err, bundle.ErrDamaged) || errors.As(err, &coded) && coded.code == desk.CodeBundleDamaged:
		return bundleFileZH[bundle.FileCorrupt]
	}
	return ""
}

// bundleFileZH say in Chinese what is wrong with a bundle file, by
// bundle.FileError.Kind (the counts follow in explainFile's words).
var bundleFileZH = map[string]string{
	bundle.FileEmpty:    "文件是空的",
	bundle.FileCutShort: "文件不完整（复制中途断了）",
	bundle.FileCorrupt:  "文件已损坏（复制或存放时有字节被改动）",
}

// hasChinese reports whether s holds a Chinese character.
func hasChinese(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// errorf returns the sentence key in the speaker's language as an error,
// wrapping the argument of its %w (fmt.Errorf) so that errors.Is and As
// still find what it wraps.
func (s speaker) errorf(key string, args ...any) error {
	words, ok := hubWords[s.lang]
	if !ok {
		words = hubWords[langEN]
	}
	f, ok := words[key]
	if !ok {
		f = key
	}
	err := fmt.Errorf(f, args...)
	if msg := plurals(err.Error()); msg != err.Error() {
		return counted{msg: msg, err: err}
	}
	return err
}

// counted is an error whose English counts were given their plural forms
// (plurals): its message is msg; it wraps what err wraps.
type counted struct {
	msg string
	err error
}

func (c counted) Error() string { return c.msg }

// Unwrap returns what the sentence's %w wrapped (one error or several).
func (c counted) Unwrap() []error {
	switch u := c.err.(type) {
	case interface{ Unwrap() []error }:
		return u.Unwrap()
	case interface{ Unwrap() error }:
		return []error{u.Unwrap()}
	}
	return nil
}

// verifyWhyZH say in Chinese why a bulletin did not verify, by
// bulletin.VerifyError.Reason; the bulletin's English words ("tampered: the
// file is … bytes", as docs/bulletin-signature.md documents them) follow in
// brackets. In English the hub prints those words alone, as before.
var verifyWhyZH = map[string]string{
	bulletin.ReasonMalformed:     "签名文件无法读取：它不是聚援公告的签名，或已损坏",
	bulletin.ReasonVersion:       "签名文件的格式版本本程序不认识：请更新程序后再核验",
	bulletin.ReasonTampered:      "文件在签名后被改动过（大小或 SHA-256 与签名时不符）：请勿相信其中的内容，向发送方要原件",
	bulletin.ReasonBadSignature:  "签名不是签署人对这个文件的签名：签署人或签名内容被调换过",
	bulletin.ReasonWrongNetwork:  "公告不属于所要求的网络，或签名链属于另一个网络",
	bulletin.ReasonBrokenChain:   "背书链断了或已损坏：无法从签署人追溯到网络的创建者",
	bulletin.ReasonUnknownSigner: "签名链中没有接纳这位签署人的背书",
	bulletin.ReasonRevoked:       "签署人（或链上的背书人）已被撤销",
	bulletin.ReasonNotFounded:    "签名链中没有本网络的创建记录（创建者的密钥与网络 ID 不符）",
}

// verifyWhy says err (from bulletin.Verify) in sp's language: in Chinese
// the reason's sentence with the bulletin's English words after it, in
// English those words alone.
func verifyWhy(sp speaker, err error) string {
	var ve *bulletin.VerifyError
	if sp.lang == langZH && errors.As(err, &ve) {
		if w, ok := verifyWhyZH[ve.Reason]; ok {
			return w + "（" + err.Error() + "）"
		}
	}
	if sp.lang == langZH {
		return "无法核验（" + err.Error() + "）"
	}
	return err.Error()
}

// fieldWordsZH name in Chinese the input a desk error's field concerns,
// with its flag (flagOf names the flag alone in English).
var fieldWordsZH = map[string]string{
	"role": "角色（--role）", "name": "名字（--name）", "memberName": "您的名字（--member-name）", "incident": "事件名称（--name）",
	"memberId": "成员 ID", "joinCode": "加入码",
}

// cliErrorIn is cliError in sp's language: in Chinese the UI's sentence of
// the desk error's code and reason (uiLabels "error", copies of the app's
// error.* words), with the English message after it in brackets; in
// English, cliError's sentence. Other errors are returned as they are.
func cliErrorIn(sp speaker, err error) error {
	ce := cliError(err)
	var e *desk.Error
	if sp.lang != langZH || !errors.As(err, &e) {
		return ce
	}
	words := uiLabels[langZH]["error"]
	key := e.Code
	if r := e.Args["reason"]; r != "" {
		key += "_" + r
	}
	w, ok := words[key]
	if !ok {
		if w, ok = words[e.Code]; !ok {
			w = words["unknown"]
		}
	}
	field := e.Field
	if f, ok := fieldWordsZH[field]; ok {
		field = f
	}
	w = placeholder.ReplaceAllStringFunc(w, func(m string) string {
		switch k := m[1 : len(m)-1]; k {
		case "field":
			return field
		case "detail":
			return e.Message
		default:
			return e.Args[k]
		}
	})
	if !strings.Contains(w, e.Message) {
		w += "（" + ce.Error() + "）"
	}
	return &codedError{msg: w, code: e.Code}
}
