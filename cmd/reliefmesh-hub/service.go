package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"text/template"

	"github.com/spf13/cobra"

	"github.com/reliefmesh/reliefmesh/store"
)

// Where install-service puts the hub on a systemd Linux (a Raspberry Pi at
// a site): the unit, the binary, and the data directory the unit serves
// (systemd's StateDirectory for a DynamicUser; logs go to the journal).
const (
	serviceName    = "reliefmesh-hub.service"
	serviceUnitDir = "/etc/systemd/system"
	serviceBin     = "/usr/local/bin/reliefmesh-hub"
	serviceDataDir = "/var/lib/reliefmesh"
	// serviceKeyFile is the store key of an encrypted hub (install-service
	// --encrypt): root's, mode 0600; systemd hands it to the service as a
	// credential (LoadCredential=), never readable by the service's user
	// otherwise.
	serviceKeyFile = "/etc/reliefmesh/store.key"
)

// serviceUnitTemplate is the systemd unit of the hub. DynamicUser= runs it
// as a user systemd makes for it (no account to create or remove), which
// owns StateDirectory= /var/lib/reliefmesh (its data: store, device key,
// control socket); stdout and stderr go to the journal
// (`journalctl -u reliefmesh-hub`).
const serviceUnitTemplate = `# ReliefMesh hub (聚援), written by ` + "`reliefmesh-hub install-service`" + `.
# Data: {{.DataDir}} (device key, store, control socket hub.sock). Logs: journalctl -u reliefmesh-hub
# Before the first start the data directory needs a network:
#   reliefmesh-hub init --name "INCIDENT" --member-name "Hub NAME" --data-dir {{.DataDir}}
#   (or: reliefmesh-hub join CODE --data-dir {{.DataDir}})
[Unit]
Description=ReliefMesh hub: stores, serves and relays a relief network's signed changes
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
ExecStart={{.Bin}} serve --data-dir {{.DataDir}}{{range .Listen}} --listen {{.}}{{end}}{{if .KeyFile}} --key-file ${CREDENTIALS_DIRECTORY}/store.key{{end}}
{{if .KeyFile}}# the store is encrypted at rest with this key (root's, 0600), handed over by systemd
LoadCredential=store.key:{{.KeyFile}}
{{end}}DynamicUser=yes
StateDirectory=reliefmesh
StateDirectoryMode=0700
UMask=0077
Restart=on-failure
RestartSec=5s
# serve closes the store cleanly on SIGTERM; give it time on a slow SD card
TimeoutStopSec=90s
LimitNOFILE=65536
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectControlGroups=yes
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK

[Install]
WantedBy=multi-user.target
`

// serviceConfig fills serviceUnitTemplate.
type serviceConfig struct {
	Bin     string   // the hub binary the unit runs
	DataDir string   // the data directory it serves
	Listen  []string // --listen multiaddrs; none means serve's default (4717)
	KeyFile string   // the store key file of an encrypted hub; "" for none
}

// serviceUnit returns the unit text for cfg.
func serviceUnit(cfg serviceConfig) string {
	var b bytes.Buffer
	template.Must(template.New("unit").Parse(serviceUnitTemplate)).Execute(&b, cfg)
	return b.String()
}

// serviceOptions are install-service's flags.
type serviceOptions struct {
	root    string // "/" or a folder standing for it (tests, images)
	dryRun  bool
	listen  []string
	enable  bool
	copyBin bool
	encrypt bool // the store encrypted at rest with serviceKeyFile (made if missing)
}

func newInstallService(g *globals) *cobra.Command {
	o := serviceOptions{}
	c := &cobra.Command{
		Use:   "install-service [--dry-run] [--root DIR]",
		Short: "Install the hub as a systemd service (Linux): unit, binary, data in /var/lib/reliefmesh, logs in the journal",
		Long: `install-service makes this computer run the hub at boot (a Raspberry Pi or a
server at a site). It copies this binary to ` + serviceBin + `, writes the unit
` + serviceUnitDir + "/" + serviceName + ` (DynamicUser=: systemd runs the hub as a user it
makes for it; no account to create), whose data directory is ` + serviceDataDir + `
and whose log is the journal (journalctl -u reliefmesh-hub), then runs
systemctl daemon-reload and enables the service. It does not start it: the data
directory needs a network first (init or join with --data-dir ` + serviceDataDir + `),
as the last lines say. --dry-run prints what it would do and changes nothing.
--root DIR writes under DIR instead of / and runs no systemctl (for an image
being prepared, and for tests). Run it as root. --data-dir is not used: the
service's data directory is always ` + serviceDataDir + `.

--encrypt keeps the hub's store encrypted at rest (a stolen SD card or disk
reveals nothing): a random key is written to ` + serviceKeyFile + ` (root
only, mode 0600; back it up elsewhere, without it the data cannot be opened),
unless one is there, and the unit hands it to the hub as a systemd credential
(LoadCredential=, systemd 250 or later). Then init the data directory with
--key-file ` + serviceKeyFile + `, as the last lines say.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return installService(cmd.OutOrStdout(), o, g.speaker())
		},
	}
	c.Flags().StringVar(&o.root, "root", "/", "write under this folder instead of / (no systemctl then)")
	c.Flags().BoolVar(&o.dryRun, "dry-run", false, "print what would be written and run, change nothing")
	c.Flags().StringArrayVar(&o.listen, "listen", nil, "multiaddr the service listens on (repeatable; default TCP and QUIC port 4717)")
	c.Flags().BoolVar(&o.enable, "enable", true, "enable the service at boot (systemctl enable)")
	c.Flags().BoolVar(&o.copyBin, "copy-binary", true, "copy this binary to "+serviceBin)
	c.Flags().BoolVar(&o.encrypt, "encrypt", false, "encrypt the hub's store at rest with a key file "+serviceKeyFile+" (0600, made if missing)")
	return c
}

// installService writes the unit (and copies the binary) under o.root and,
// when o.root is "/", reloads systemd and enables the unit. With o.dryRun it
// only prints each step. Every step is said on w, in sp's language.
func installService(w io.Writer, o serviceOptions, sp speaker) error {
	root := o.root
	if root == "" {
		root = "/"
	}
	real := filepath.Clean(root) == "/"
	cfg := serviceConfig{Bin: serviceBin, DataDir: serviceDataDir, Listen: o.listen}
	if o.encrypt {
		cfg.KeyFile = serviceKeyFile
	}
	unitPath := filepath.Join(root, serviceUnitDir, serviceName)
	binPath := filepath.Join(root, serviceBin)
	say := func(key string, a ...any) { fmt.Fprintln(w, sp.t(key, a...)) }
	// a step is said as done, or with --dry-run as what would be done
	step := func(key string, a ...any) {
		if o.dryRun {
			key += ".would"
		}
		say(key, a...)
	}
	if o.dryRun {
		say("service.dryrun")
	}

	if o.copyBin {
		self, err := os.Executable()
		if err != nil {
			return sp.errorf("service.self", err)
		}
		if self, err = filepath.EvalSymlinks(self); err != nil {
			return sp.errorf("service.self", err)
		}
		if same, _ := filepath.EvalSymlinks(binPath); same == self {
			say("service.binary.same", binPath)
		} else {
			step("service.binary", self, binPath)
			if !o.dryRun {
				if err := copyExecutable(self, binPath, sp); err != nil {
					return sp.errorf("service.err", err)
				}
			}
		}
	}

	if o.encrypt {
		keyPath := filepath.Join(root, serviceKeyFile)
		if _, err := os.Stat(keyPath); err == nil {
			say("service.key.exists", keyPath)
		} else {
			step("service.key.new", keyPath)
			if !o.dryRun {
				key, err := store.NewStoreKey()
				if err == nil {
					err = os.MkdirAll(filepath.Dir(keyPath), 0o700)
				}
				if err == nil {
					err = store.WriteKeyFile(keyPath, key)
				}
				if err != nil {
					return sp.errorf("service.key", err)
				}
			}
		}
	}

	unit := serviceUnit(cfg)
	step("service.unit.write", unitPath)
	for _, l := range strings.Split(strings.TrimRight(unit, "\n"), "\n") {
		fmt.Fprintln(w, "    "+l)
	}
	if !o.dryRun {
		if err := os.MkdirAll(filepath.Dir(unitPath), 0o755); err != nil {
			return sp.errorf("service.err", err)
		}
		if err := os.WriteFile(unitPath, []byte(unit), 0o644); err != nil {
			return sp.errorf("service.unit", err)
		}
	}
	// The data directory: made now, so that init/join can be run into it
	// before the first start; systemd gives it to the service's user.
	dataPath := filepath.Join(root, serviceDataDir)
	step("service.data", dataPath)
	if !o.dryRun {
		if err := os.MkdirAll(dataPath, 0o700); err != nil {
			return sp.errorf("service.datadir", err)
		}
	}

	steps := [][]string{{"systemctl", "daemon-reload"}}
	if o.enable {
		steps = append(steps, []string{"systemctl", "enable", serviceName})
	}
	for _, s := range steps {
		switch {
		case o.dryRun:
			say("service.run.would", strings.Join(s, " "))
		case !real:
			say("service.run.notroot", strings.Join(s, " "), root)
		default:
			out, err := exec.Command(s[0], s[1:]...).CombinedOutput()
			if err != nil {
				return sp.errorf("service.cmd", strings.Join(s, " "), err, strings.TrimSpace(string(out)))
			}
			say("service.run", strings.Join(s, " "))
		}
	}

	fmt.Fprintln(w)
	if _, err := os.Stat(filepath.Join(dataPath, "device.key")); errors.Is(err, fs.ErrNotExist) || o.dryRun {
		say("service.next.init")
		keyArg := ""
		if o.encrypt {
			keyArg = " --key-file " + serviceKeyFile
		}
		say("service.next.initcmd", serviceBin, serviceDataDir, keyArg)
		say("service.next.join", serviceBin, serviceDataDir, keyArg)
	} else {
		say("service.next.start", serviceDataDir)
	}
	fmt.Fprintln(w, "    systemctl start reliefmesh-hub && journalctl -u reliefmesh-hub -f")
	say("service.next.status", serviceBin, serviceDataDir)
	return nil
}

// copyExecutable copies the file src to dst (mode 0755), through a
// temporary file renamed into place so a running copy is never half written.
func copyExecutable(src, dst string, sp speaker) error {
	in, err := os.Open(src)
	if err != nil {
		return sp.errorf("service.copy", err)
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return sp.errorf("service.copy", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".reliefmesh-hub-*")
	if err != nil {
		return sp.errorf("service.copy", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, in); err != nil {
		tmp.Close()
		return sp.errorf("service.copyto", dst, err)
	}
	if err := tmp.Chmod(0o755); err != nil {
		tmp.Close()
		return sp.errorf("service.copy", err)
	}
	if err := tmp.Close(); err != nil {
		return sp.errorf("service.copyto", dst, err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return sp.errorf("service.copyto", dst, err)
	}
	return nil
}
