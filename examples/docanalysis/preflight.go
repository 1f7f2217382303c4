package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
)

// ocrProgram is the program that reads images, and ocrPackages the
// Debian packages that provide it with its English data (what make test
// installs, see .ci/services.sh).
const ocrProgram = "tesseract"

var ocrPackages = []string{"tesseract-ocr", "tesseract-ocr-eng"}

// envNoInstall, set to 1 (or true), stops the program from installing
// what it misses, like the -no-install flag.
const envNoInstall = "CHORUS_NO_INSTALL"

// errMissing is the error of a required program that is missing and was
// not installed; the run exits with status 2 before doing any work.
var errMissing = errors.New("a required program is missing")

// MissingError says which program is missing, why it was not installed,
// and the command that installs it.
type MissingError struct {
	// Program is the missing program ("tesseract").
	Program string
	// Why says what needs it ("the images need OCR").
	Why string
	// Reason says why it was not installed.
	Reason string
	// Fix is the command that installs it.
	Fix string
}

// Error says what is missing, why it was not installed and the fix, on
// two lines.
func (e *MissingError) Error() string {
	return fmt.Sprintf("%s, but the %s program is not installed, and it was not installed now: %s.\n  fix: %s (or analyse .txt files, which need no OCR)", e.Why, e.Program, e.Reason, e.Fix)
}

// Is reports whether target is errMissing.
func (e *MissingError) Is(target error) bool { return target == errMissing }

// installer installs Debian packages. Plan says how it would install them
// ("apt-get" as root, "sudo -n apt-get"), or why it cannot (not root and
// no passwordless sudo, not Debian); Install installs them.
type installer interface {
	Plan() (string, error)
	Install(ctx context.Context, packages []string) error
}

// needsOCR reports whether a run reads images: one of its inputs is an
// image, or it serves requests, which may carry images.
func needsOCR(inputs []Input, serving bool) bool {
	return serving || slices.ContainsFunc(inputs, func(in Input) bool { return len(in.Image) > 0 })
}

// hasPDF reports whether one of the inputs is a PDF, whose scanned pages
// need OCR.
func hasPDF(inputs []Input) bool {
	return slices.ContainsFunc(inputs, func(in Input) bool { return len(in.PDF) > 0 })
}

// ensureProgram makes sure program is on PATH: when it is missing and
// installing is allowed, it says on one line of w what it installs and
// why, and installs packages. It returns a *MissingError when the program
// is still missing.
func ensureProgram(ctx context.Context, w io.Writer, lookPath func(string) (string, error), inst installer, allow bool, program, why string, packages []string) error {
	if _, err := lookPath(program); err == nil {
		return nil
	}
	miss := &MissingError{Program: program, Why: why, Fix: fixCommand(packages)}
	if !allow {
		miss.Reason = "installing is off: -no-install or " + envNoInstall + "=1"
		return miss
	}
	how, err := inst.Plan()
	if err != nil {
		miss.Reason = err.Error()
		return miss
	}
	fmt.Fprintf(w, "docanalysis: %s: installing %s with %s (-no-install or %s=1 to skip)\n", why, strings.Join(packages, " "), how, envNoInstall)
	if err := inst.Install(ctx, packages); err != nil {
		miss.Reason = err.Error()
		return miss
	}
	if _, err := lookPath(program); err != nil {
		miss.Reason = fmt.Sprintf("%s is still not on PATH after installing %s", program, strings.Join(packages, " "))
		return miss
	}
	return nil
}

// fixCommand is the command that installs packages by hand: with sudo
// unless the program runs as root.
func fixCommand(packages []string) string {
	cmd := "apt-get install " + strings.Join(packages, " ")
	if os.Geteuid() != 0 {
		cmd = "sudo " + cmd
	}
	return cmd
}

// aptInstaller installs packages with apt-get, as make test does: as root
// directly, else through passwordless sudo.
type aptInstaller struct {
	euid     func() int
	lookPath func(string) (string, error)
	// run runs a command and returns its combined output.
	run func(ctx context.Context, name string, args ...string) ([]byte, error)
}

// newAptInstaller returns the installer of the running system.
func newAptInstaller(euid func() int) *aptInstaller {
	return &aptInstaller{euid: euid, lookPath: exec.LookPath, run: func(ctx context.Context, name string, args ...string) ([]byte, error) {
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Env = append(cmd.Environ(), "DEBIAN_FRONTEND=noninteractive")
		return cmd.CombinedOutput()
	}}
}

// prefix is the command apt-get runs under: none as root, sudo -n with
// passwordless sudo.
func (a *aptInstaller) prefix(ctx context.Context) ([]string, error) {
	if _, err := a.lookPath("apt-get"); err != nil {
		return nil, errors.New("this is not a Debian system (no apt-get)")
	}
	if a.euid() == 0 {
		return nil, nil
	}
	if _, err := a.lookPath("sudo"); err != nil {
		return nil, errors.New("not root, and sudo is not installed")
	}
	if _, err := a.run(ctx, "sudo", "-n", "true"); err != nil {
		return nil, errors.New("not root, and sudo asks for a password")
	}
	return []string{"sudo", "-n"}, nil
}

// Plan says how packages would be installed.
func (a *aptInstaller) Plan() (string, error) {
	p, err := a.prefix(context.Background())
	if err != nil {
		return "", err
	}
	return strings.Join(append(p, "apt-get"), " "), nil
}

// Install runs apt-get update, then apt-get install of the packages.
func (a *aptInstaller) Install(ctx context.Context, packages []string) error {
	p, err := a.prefix(ctx)
	if err != nil {
		return err
	}
	steps := [][]string{
		{"apt-get", "-o", "DPkg::Lock::Timeout=300", "update"},
		append([]string{"apt-get", "-o", "DPkg::Lock::Timeout=300", "install", "-y", "--no-install-recommends"}, packages...),
	}
	for _, s := range steps {
		cmd := append(slices.Clone(p), s...)
		if out, err := a.run(ctx, cmd[0], cmd[1:]...); err != nil {
			return fmt.Errorf("%s failed: %w: %s", strings.Join(cmd, " "), err, lastLines(string(out), 3))
		}
	}
	return nil
}

// lastLines returns the last n non-blank lines of s, joined by " | ".
func lastLines(s string, n int) string {
	ls := lines(s)
	return strings.Join(ls[max(0, len(ls)-n):], " | ")
}

// noInstall is the installer that installs nothing.
type noInstall struct{ reason string }

func (n noInstall) Plan() (string, error)                   { return "", errors.New(n.reason) }
func (n noInstall) Install(context.Context, []string) error { return errors.New(n.reason) }
