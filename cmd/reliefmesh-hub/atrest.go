package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/reliefmesh/reliefmesh/store"
)

// Encryption at rest on the hub: the store key comes from --key-file or
// RELIEFMESH_STORE_KEY; a store encrypted with a passphrase (made by the
// desktop app, or by `rekey --new-passphrase`) is unlocked by
// `reliefmesh-hub unlock`, which gives the passphrase to a `serve` waiting
// for it over the control socket.

// storeKey returns the store key given by --key-file, else by
// RELIEFMESH_STORE_KEY; nil when neither is given.
func (g *globals) storeKey() ([]byte, error) {
	if g.keyFile != "" {
		k, err := store.ReadKeyFile(g.keyFile)
		if err != nil {
			return nil, g.speaker().errorf("atrest.keyfile", err)
		}
		return k, nil
	}
	if v := os.Getenv(store.EnvStoreKey); v != "" {
		k, err := store.ParseStoreKey(v)
		if err != nil {
			return nil, g.speaker().errorf("atrest.envkey", store.EnvStoreKey, err)
		}
		return k, nil
	}
	return nil, nil
}

// openStore opens the store of the data dir with opts and the store key
// given (storeKey), when no hub serves it.
func (g *globals) openStore(opts store.Options) (*store.Store, error) {
	key, err := g.storeKey()
	if err != nil {
		return nil, err
	}
	opts.EncryptionKey = key
	onOpen(opts)
	return openStore(g.dataDir, opts, g.speaker())
}

// onOpen is told the options of every open of the data dir's store by a
// subcommand (tests: which commands fold the whole demand list).
var onOpen = func(store.Options) {}

// newKeyFile creates --key-file with a new random key when it names a
// file that does not exist (for init: the new store is encrypted with it).
func (g *globals) newKeyFile(out io.Writer) error {
	if g.keyFile == "" {
		return nil
	}
	if _, err := os.Stat(g.keyFile); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	key, err := store.NewStoreKey()
	if err != nil {
		return err
	}
	sp := g.speaker()
	if err := store.WriteKeyFile(g.keyFile, key); err != nil {
		return sp.errorf("atrest.keyfile", err)
	}
	fmt.Fprintln(out, sp.t("atrest.keywritten", g.keyFile))
	return nil
}

// secrets reads passphrases for one command: from the terminal without
// echo when stdin is one, else one line of stdin each.
type secrets struct {
	in     io.Reader
	prompt io.Writer
	lines  *bufio.Reader
	sp     speaker // says the prompts and errors
}

func newSecrets(cmd *cobra.Command, sp speaker) *secrets {
	return &secrets{in: cmd.InOrStdin(), prompt: cmd.ErrOrStderr(), sp: sp}
}

// read asks for a passphrase with the prompt of key (cliWords); an empty
// one is refused.
func (s *secrets) read(key string) (string, error) {
	if f, ok := s.in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(s.prompt, s.sp.t(key))
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(s.prompt)
		if err != nil {
			return "", s.sp.errorf("atrest.readpass", err)
		}
		if len(b) == 0 {
			return "", s.sp.errorf("atrest.emptypass")
		}
		return string(b), nil
	}
	if s.lines == nil {
		s.lines = bufio.NewReader(s.in)
	}
	line, err := s.lines.ReadString('\n')
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		if err != nil && !errors.Is(err, io.EOF) {
			return "", s.sp.errorf("atrest.stdinpass", err)
		}
		return "", s.sp.errorf("atrest.nostdinpass")
	}
	return line, nil
}

// unlockRequest is the body of POST /v0/unlock.
type unlockRequest struct {
	Passphrase string `json:"passphrase"`
}

// unlockAnswer answers POST /v0/unlock: Already when the hub was not
// waiting for a passphrase (its store is open).
type unlockAnswer struct {
	Unlocked bool `json:"unlocked"`
	Already  bool `json:"already"`
}

// lockedMessage is what a hub waiting for its passphrase says, on stderr and
// to every subcommand that asks it anything but the passphrase.
func lockedMessage(dir string) string {
	return fmt.Sprintf("%v: the store in %s is encrypted at rest: run `reliefmesh-hub unlock --data-dir %s` to type its passphrase, or restart with --key-file FILE or %s; 本机数据已加密且处于锁定状态：运行 `reliefmesh-hub unlock --data-dir %s` 输入口令",
		store.ErrLocked, dir, dir, store.EnvStoreKey, dir)
}

// waitUnlock serves the control socket of dir until `reliefmesh-hub unlock`
// gives the right passphrase, and returns the store key. A wrong passphrase
// is refused (the unlock command says so) and the wait goes on; so do
// other requests, answered with the locked message. It ends with ctx.
func waitUnlock(ctx context.Context, dir string, log *slog.Logger, sp speaker) ([]byte, error) {
	ln, path, err := listenControl(dir, log)
	if err != nil {
		return nil, err
	}
	keys := make(chan []byte, 1)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v0/unlock", func(w http.ResponseWriter, r *http.Request) {
		var req unlockRequest
		if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&req); err != nil {
			writeError(w, http.StatusBadRequest, fmt.Errorf("unlock: %w", err))
			return
		}
		key, err := store.UnlockPassphrase(dir, req.Passphrase)
		if err != nil {
			log.Warn("unlock refused", "err", err)
			writeError(w, http.StatusForbidden, err)
			return
		}
		select {
		case keys <- key:
		default:
		}
		writeJSON(w, unlockAnswer{Unlocked: true})
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusLocked, errors.New(lockedMessage(dir)))
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("control socket", "err", err)
		}
	}()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if srv.Shutdown(sctx) != nil {
			srv.Close()
		}
		<-done
		os.Remove(path)
	}()
	log.Error(lockedMessage(dir))
	select {
	case key := <-keys:
		log.Info("store unlocked")
		return key, nil
	case <-ctx.Done():
		return nil, sp.errorf("atrest.stopped", dir)
	}
}

// newUnlock is `reliefmesh-hub unlock`: type the passphrase of a store
// encrypted at rest, for the hub serving the data dir (waiting for it), or
// to write its key to a file (--write-key) for a later `--key-file`.
func newUnlock(g *globals) *cobra.Command {
	var writeKey string
	c := &cobra.Command{
		Use:   "unlock [--write-key FILE]",
		Short: "Type the passphrase of a store encrypted at rest, for the hub waiting for it",
		Long: "Read the passphrase of the store in the data dir (from the terminal without echo, or one line\n" +
			"of stdin) and check it. A `reliefmesh-hub serve` waiting for it (its store is locked) receives\n" +
			"it over the control socket and starts. With --write-key FILE the store key is written to a new\n" +
			"FILE (mode 0600) for `--key-file FILE`: put it on a RAM disk (tmpfs), never beside the store.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := g.checkDevice(); err != nil {
				return err
			}
			sp := g.speaker()
			ki, ok, err := store.ReadKeyInfo(g.dataDir)
			if err != nil {
				return err
			}
			if !ok {
				return sp.errorf("atrest.plain", g.dataDir)
			}
			if ki.Source != store.KeyFromPassphrase {
				return sp.errorf("atrest.nopass", g.dataDir, store.EnvStoreKey)
			}
			pass, err := newSecrets(cmd, sp).read("atrest.prompt")
			if err != nil {
				return err
			}
			key, err := store.UnlockPassphrase(g.dataDir, pass)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			hub, err := g.hub()
			if err != nil {
				return err
			}
			if hub != nil {
				var a unlockAnswer
				if err := hub.call(cmd.Context(), "POST", "/v0/unlock", unlockRequest{Passphrase: pass}, &a); err != nil {
					return err
				}
				if a.Already {
					fmt.Fprintln(out, sp.t("atrest.already"))
				} else {
					fmt.Fprintln(out, sp.t("atrest.unlocked"))
				}
			}
			if writeKey != "" {
				if err := store.WriteKeyFile(writeKey, key); err != nil {
					return err
				}
				fmt.Fprintln(out, sp.t("atrest.keyout", writeKey))
			}
			if hub == nil && writeKey == "" {
				fmt.Fprintln(out, sp.t("atrest.passright", g.dataDir))
			}
			return nil
		},
	}
	c.Flags().StringVar(&writeKey, "write-key", "", "write the store key to this new file (mode 0600) for --key-file")
	return c
}

// newRekey is `reliefmesh-hub rekey`: encrypt a plaintext store, or change
// the key or passphrase of an encrypted one (store.Rekey).
func newRekey(g *globals) *cobra.Command {
	var newKeyFile string
	var newPassphrase bool
	c := &cobra.Command{
		Use:   "rekey (--new-key-file FILE | --new-passphrase)",
		Short: "Encrypt the store at rest, or change its key or passphrase",
		Long: "Encrypt the plaintext store of the data dir, or change the key of an encrypted one. The\n" +
			"current key is --key-file or " + store.EnvStoreKey + ", or the current passphrase is asked\n" +
			"for. The new key is --new-key-file FILE (read, or created with a new random key if missing)\n" +
			"or a new passphrase (--new-passphrase, asked twice; on stdin: current, new, new, one a line).\n" +
			"A plaintext store is copied into a new encrypted directory, which replaces it once it opens\n" +
			"with every key; an encrypted store keeps its files and only Badger's key registry is\n" +
			"re-encrypted. If anything fails the store stays as it was. No hub may be serving the data dir.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := g.checkDevice(); err != nil {
				return err
			}
			sp := g.speaker()
			if (newKeyFile == "") == !newPassphrase {
				return sp.errorf("atrest.newkey")
			}
			if hub, err := g.hub(); err != nil {
				return err
			} else if hub != nil {
				return sp.errorf("atrest.hubserves", g.dataDir)
			}
			sec := newSecrets(cmd, sp)
			old, err := g.storeKey()
			if err != nil {
				return err
			}
			ki, encrypted, err := store.ReadKeyInfo(g.dataDir)
			if err != nil {
				return err
			}
			if old == nil && encrypted {
				if ki.Source != store.KeyFromPassphrase {
					return sp.errorf("atrest.needkey", g.dataDir, store.EnvStoreKey)
				}
				pass, err := sec.read("atrest.prompt.current")
				if err != nil {
					return err
				}
				if old, err = store.UnlockPassphrase(g.dataDir, pass); err != nil {
					return err
				}
			}
			if !encrypted && old != nil {
				old = nil // a plaintext store: the key given is not needed
			}
			if encrypted && !ki.Matches(old) {
				// before any new key file is written: a wrong current key
				// must leave nothing behind (a tester found a useless new
				// key file next to "nothing was changed")
				return &store.LockedError{Dir: g.dataDir, Reason: store.LockWrongKey, Source: ki.Source}
			}
			var key []byte
			var info store.KeyInfo
			out := cmd.OutOrStdout()
			if newPassphrase {
				p1, err := sec.read("atrest.prompt.new")
				if err != nil {
					return err
				}
				p2, err := sec.read("atrest.prompt.again")
				if err != nil {
					return err
				}
				if p1 != p2 {
					return sp.errorf("atrest.passdiffer")
				}
				if key, info, err = store.NewPassphraseKey(p1, nil); err != nil {
					return err
				}
			} else {
				if _, err := os.Stat(newKeyFile); errors.Is(err, fs.ErrNotExist) {
					if key, err = store.NewStoreKey(); err != nil {
						return err
					}
					if err := store.WriteKeyFile(newKeyFile, key); err != nil {
						return err
					}
					fmt.Fprintln(out, sp.t("atrest.newkeywritten", newKeyFile))
				} else if key, err = store.ReadKeyFile(newKeyFile); err != nil {
					return sp.errorf("atrest.newkeyfile", err)
				}
				info = store.NewKeyInfo(store.KeyGiven, "", key)
			}
			res, err := store.Rekey(g.dataDir, old, key, info, newLogger(cmd.ErrOrStderr(), false, false))
			if err != nil {
				return err
			}
			took := res.Took.Round(time.Millisecond)
			if res.Streamed {
				fmt.Fprintln(out, sp.t("atrest.encrypted", res.Keys, took))
			} else {
				fmt.Fprintln(out, sp.t("atrest.rekeyed", took))
			}
			if newPassphrase {
				fmt.Fprintln(out, sp.t("atrest.next.unlock"))
			} else {
				fmt.Fprintln(out, sp.t("atrest.next.keyfile", newKeyFile))
			}
			return nil
		},
	}
	c.Flags().StringVar(&newKeyFile, "new-key-file", "", "the new store key's file (created with a new random key if missing)")
	c.Flags().BoolVar(&newPassphrase, "new-passphrase", false, "a new passphrase (asked twice)")
	return c
}
