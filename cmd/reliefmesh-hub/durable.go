package main

import (
	"errors"
	"fmt"
	"github.com/reliefmesh/reliefmesh/internal/atomicfile"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/store"
)

// explain returns what a person does about a damaged store, a short disk or
// a device waiting for its own feed, in zh-CN and then en, for the lines
// printed after the error; "" for any other error. It also knows these
// errors by their text, as they arrive from a hub over the control socket.
func explain(err error) string {
	msg := err.Error()
	var werr *atomicfile.Error
	switch {
	case errors.As(err, &werr) && werr.Kind != "":
		// a file the hub writes (an export, a bundle): its folder or disk,
		// not the store's
		return speakerOf(langZH).t("explain.write."+werr.Kind, werr.Dir) + "\n" + speakerOf(langEN).t("explain.write."+werr.Kind, werr.Dir)
	case errors.Is(err, store.ErrDamaged) || strings.Contains(msg, store.ErrDamaged.Error()):
		return "本机数据已损坏或丢失（见上）。恢复：运行 `reliefmesh-hub recover`（损坏的目录会被移到一旁，设备密钥保留），再用加入码重新加入网络（`reliefmesh-hub join 加入码`），之后可以导入同伴的同步包；本设备要从同伴取回自己的最新更改后才继续写入。\n" +
			"This device's data is damaged or missing (see above). To recover: run `reliefmesh-hub recover` (the damaged directory is moved aside, the device key is kept), then join the network again with a join code (`reliefmesh-hub join CODE`); bundles from peers can be imported after that; the device writes again once a peer gave it back its own newest changes."
	case errors.Is(err, store.ErrLocked) || strings.HasPrefix(msg, store.ErrLocked.Error()+":"):
		if strings.Contains(msg, "not encrypted") {
			return "本机数据没有加密，却给了密钥：先用 `reliefmesh-hub rekey --new-key-file 文件` 或 `--new-passphrase` 加密，或不带密钥打开。\n" +
				"This store is not encrypted, yet a key was given: encrypt it first with `reliefmesh-hub rekey --new-key-file FILE` or `--new-passphrase`, or open it without a key."
		}
		return "本机数据已静态加密，需要它的密钥或口令才能打开（口令或密钥错误时什么都不会改变）。口令：运行 `reliefmesh-hub unlock`（正在启动的 serve 会等待口令）；密钥：用 --key-file 文件 或环境变量 " + store.EnvStoreKey + "。\n" +
			"This store is encrypted at rest and opens only with its key or passphrase (a wrong one changes nothing). A passphrase: run `reliefmesh-hub unlock` (a starting serve waits for it); a key: --key-file FILE or the environment variable " + store.EnvStoreKey + "."
	case errors.Is(err, store.ErrDiskFull) || strings.Contains(msg, store.ErrDiskFull.Error()+":"):
		return "磁盘空间不足：未写入任何内容，已有数据仍可查看。请在数据目录所在磁盘上腾出空间后重试。\n" +
			"The disk is short of space: nothing was written, what is held can still be read. Free space on the data directory's disk and try again."
	case errors.Is(err, syscall.ENOSPC) || strings.Contains(msg, "no space left on device"):
		return "磁盘已满：数据目录（或要写入的文件）所在的磁盘没有剩余空间：打开本机数据要写一个锁文件，写文件也要空间，所以这次连读取也无法进行。请在该磁盘上腾出空间（删除旧的导出文件、日志或同步包；写入需要至少 192 MiB）后重试；已有数据没有受损。\n" +
			"The disk is full: the disk of the data directory (or of the file being written) has no space left, not even for the lock file that opening the store writes, or for the file being written, so this time even reading cannot go on. Free space on that disk (old exports, logs or bundles; writing needs at least 192 MiB) and try again; what is held is not damaged."
	case storeNotWritable(err):
		folder := deniedFolder(err)
		return speakerOf(langZH).t("explain.store.not_writable", folder) + "\n" + speakerOf(langEN).t("explain.store.not_writable", folder)
	case errors.Is(err, syscall.EFBIG) || strings.Contains(msg, "file too large"):
		return speakerOf(langZH).t("explain.store.file_too_large") + "\n" + speakerOf(langEN).t("explain.store.file_too_large")
	case errors.Is(err, store.ErrRecovering) || strings.Contains(msg, store.ErrRecovering.Error()):
		return "本设备上次未正常关闭，正在等待从同伴或同步包取回自己的最新更改，以免重复使用已发出的序号：请连接网络中的同伴（`reliefmesh-hub serve`）或导入同步包。若确定没有其他设备持有本设备更新的更改，可运行 `reliefmesh-hub recover --resume`。\n" +
			"This device did not close cleanly last time and waits for its own newest changes from a peer or a bundle, so as not to reuse sequence numbers already sent: connect to a peer of the network (`reliefmesh-hub serve`) or import a bundle. If you are sure no other device holds newer changes of this one, run `reliefmesh-hub recover --resume`."
	}
	return ""
}

// explainIn is explain in one language: its Chinese line for zh-CN, its
// English line otherwise.
func explainIn(lang string, err error) string {
	how := explain(err)
	if how == "" {
		if how := explainReject(speakerOf(lang), err); how != "" {
			return how // a refusal's raw code, said
		}
		return explainInput(speakerOf(lang), err)
	}
	zh, en, ok := strings.Cut(how, "\n")
	if !ok {
		return how
	}
	if lang == langZH {
		return zh
	}
	return en
}

// newRecover is `reliefmesh-hub recover`: move a damaged store aside
// (store.MoveAside), or with --resume end the wait for the own feed.
func newRecover(g *globals) *cobra.Command {
	var resume bool
	c := &cobra.Command{
		Use:   "recover [--resume]",
		Short: "Move a damaged store aside, keeping the device key; or --resume writing without waiting for a peer",
		Long: "Without flags: move the damaged store of the data dir (db) aside to db.damaged-TIME and keep\n" +
			"the device key, so that the device joins its network again as the same member and continues\n" +
			"its own feed once a peer or a bundle gave it back. No hub may be serving the data dir.\n" +
			"With --resume: let a device that stopped uncleanly write again without waiting for a peer or a\n" +
			"bundle to give it its own newest changes; only when no other device holds newer ones.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := g.checkDevice(); err != nil {
				return err
			}
			if hub, err := g.hub(); err != nil {
				return err
			} else if hub != nil {
				return g.speaker().errorf("atrest.hubserves", g.dataDir)
			}
			out := cmd.OutOrStdout()
			if resume {
				st, err := g.open()
				if err != nil {
					return err
				}
				desk.New(st).ResumeWriting()
				if err := st.Close(); err != nil {
					return err
				}
				fmt.Fprintln(out, g.speaker().t("recover.resumed"))
				return nil
			}
			to, err := store.MoveAside(g.dataDir, time.Now())
			if err != nil {
				return err
			}
			fmt.Fprintln(out, g.speaker().t("recover.moved", to))
			return nil
		},
	}
	c.Flags().BoolVar(&resume, "resume", false, "write again without waiting for a peer or a bundle (only if no other device holds newer changes of this one)")
	return c
}

// printStorage adds to `status`, in sp's language, the lines of a device
// waiting for its own feed, a short disk, this device's own feed forked and
// what the open-time check repaired; nothing when none of them.
func printStorage(w io.Writer, s desk.Storage, sp speaker) {
	if s.Recovering != "" {
		// the store's reason in words (store.RecoverUncleanStop,
		// RecoverRestored); an unknown one as it is
		why := s.Recovering
		switch s.Recovering {
		case store.RecoverUncleanStop:
			why = sp.t("storage.why.unclean")
		case store.RecoverRestored:
			why = sp.t("storage.why.restored")
		}
		key := "storage.recovering"
		if s.Recovering == store.RecoverRestored { // only a peer ends it (store.ConfirmOwnHeadByBundle)
			key = "storage.recovering.restored"
		}
		fmt.Fprintln(w, sp.t(key, why))
	}
	if s.DiskFull {
		fmt.Fprintln(w, sp.t("storage.diskFull", s.Free, s.Need, s.Dir))
	}
	if f := s.Fork; f != nil {
		fmt.Fprintln(w, sp.t("storage.fork", f.Seq, f.Since))
	}
	if r := s.Repaired; r != nil {
		fmt.Fprintln(w, sp.t("storage.repaired", r.Records, strings.Join(r.Examples, "; "), r.Missing))
	}
}

// storeNotWritable reports whether err is opening the store refused for
// lack of permission to write the data directory or its db/ (the probe of
// store's prepareDir, Badger's lock file), also by its text as it arrives
// over the control socket. A file the hub reads or writes elsewhere (an
// import, an export) is not such an error.
func storeNotWritable(err error) bool {
	msg := err.Error()
	denied := errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) ||
		strings.Contains(msg, "permission denied") || strings.Contains(msg, "read-only file system")
	return denied && (strings.Contains(msg, "data directory ") && strings.Contains(msg, ": not writable: ") ||
		strings.Contains(msg, "open store ") && strings.Contains(msg, "LOCK"))
}

// deniedFolder names the folder whose write was refused: the folder of the
// file err names, else the data directory its text names, else "?".
func deniedFolder(err error) string {
	var perr *fs.PathError
	if errors.As(err, &perr) && perr.Path != "" {
		return filepath.Dir(perr.Path)
	}
	msg := err.Error()
	if i := strings.Index(msg, "data directory "); i >= 0 {
		if dir, _, ok := strings.Cut(msg[i+len("data directory "):], ": not writable"); ok {
			return dir
		}
	}
	if i := strings.Index(msg, "open store "); i >= 0 {
		if dir, _, ok := strings.Cut(msg[i+len("open store "):], ": "); ok {
			return dir
		}
	}
	return "?"
}
