package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chorus-go/chorus/internal/testimages"
)

// fakeInstaller is an installer that records what it is asked; its
// install, if set, does the installing.
type fakeInstaller struct {
	how      string
	planErr  error
	install  func(packages []string) error
	packages []string
}

func (f *fakeInstaller) Plan() (string, error) { return f.how, f.planErr }

func (f *fakeInstaller) Install(_ context.Context, packages []string) error {
	f.packages = append(f.packages, packages...)
	if f.install == nil {
		return errors.New("fake: nothing installed")
	}
	return f.install(packages)
}

// runWith runs the program with PATH set to a fresh empty folder (so
// that no tesseract is found) and the installer given, and returns the
// exit status, stdout, stderr and the folder.
func runWith(t *testing.T, args []string, inst installer) (int, string, string, string) {
	t.Helper()
	noModels(t)
	bin := t.TempDir()
	t.Setenv("PATH", bin)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, env{stdout: &stdout, stderr: &stderr, getenv: os.Getenv, lookPath: exec.LookPath, installer: inst, reliability: fastRetries})
	return code, stdout.String(), stderr.String(), bin
}

// Without tesseract, and with installing impossible or turned off, the
// run says so once, with the command that fixes it, and exits with
// status 2 before analysing anything.
func TestMissingTesseract(t *testing.T) {
	for _, c := range []struct {
		name   string
		args   []string
		noInst string
		inst   *fakeInstaller
		reason string
	}{
		{"no sudo", nil, "", &fakeInstaller{planErr: errors.New("not root, and sudo is not installed")}, "not root, and sudo is not installed"},
		{"not debian", nil, "", &fakeInstaller{planErr: errors.New("this is not a Debian system (no apt-get)")}, "not a Debian system"},
		{"apt-get fails", nil, "", &fakeInstaller{how: "apt-get"}, "fake: nothing installed"},
		{"-no-install", []string{"-no-install"}, "", &fakeInstaller{how: "apt-get"}, "installing is off"},
		{"CHORUS_NO_INSTALL=1", nil, "1", &fakeInstaller{how: "apt-get"}, "installing is off"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(envNoInstall, c.noInst)
			code, stdout, stderr, _ := runWith(t, c.args, c.inst)
			if code != 2 {
				t.Fatalf("exit %d, want 2\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
			}
			if stdout != "" {
				t.Errorf("something was analysed: stdout:\n%s", stdout)
			}
			for _, want := range []string{"the images need OCR, but the tesseract program is not installed", c.reason, "fix: ", "apt-get install tesseract-ocr tesseract-ocr-eng"} {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
			if n := strings.Count(stderr, "tesseract program"); n != 1 {
				t.Errorf("the message is said %d times:\n%s", n, stderr)
			}
			if strings.Contains(stderr, "models:") || strings.Contains(stderr, "==") {
				t.Errorf("the run went on:\n%s", stderr)
			}
			if c.noInst != "" || slices.Contains(c.args, "-no-install") {
				if len(c.inst.packages) > 0 {
					t.Errorf("installed %v with installing off", c.inst.packages)
				}
			}
		})
	}
}

// .txt inputs need no OCR: the run works without tesseract and installs
// nothing.
func TestTextWithoutTesseract(t *testing.T) {
	inst := &fakeInstaller{how: "apt-get"}
	dir := writeTexts(t)
	code, stdout, stderr, _ := runWith(t, []string{dir}, inst)
	if code != 0 || !strings.Contains(stdout, "5 documents: 5 analysed in") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if len(inst.packages) > 0 {
		t.Errorf("installed %v for text inputs", inst.packages)
	}
}

// With an installer that works (here one that puts a fake tesseract,
// which prints the invoice's words as TSV, on PATH), the run says in one
// line what it installs and why, installs it and goes on.
func TestInstallsTesseract(t *testing.T) {
	dir := t.TempDir()
	img, err := samples.ReadFile("testdata/invoice.png")
	if err != nil {
		t.Fatal(err)
	}
	scan := filepath.Join(dir, "invoice.png")
	tsv := filepath.Join(dir, "invoice.tsv")
	if err := os.WriteFile(scan, img, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tsv, []byte(fakeTSV(testimages.Invoice().Lines)), 0o644); err != nil {
		t.Fatal(err)
	}
	var bin string
	inst := &fakeInstaller{how: "fake-apt", install: func([]string) error {
		script := fmt.Sprintf("#!/bin/sh\n/bin/cat >/dev/null\nexec /bin/cat %s\n", tsv)
		return os.WriteFile(filepath.Join(bin, "tesseract"), []byte(script), 0o755)
	}}
	t.Setenv(envNoInstall, "")
	noModels(t)
	bin = t.TempDir()
	t.Setenv("PATH", bin)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{scan}, env{stdout: &stdout, stderr: &stderr, getenv: os.Getenv, lookPath: exec.LookPath, installer: inst, reliability: fastRetries})
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	want := "docanalysis: the images need OCR: installing tesseract-ocr tesseract-ocr-eng with fake-apt (-no-install or CHORUS_NO_INSTALL=1 to skip)\n"
	if !strings.HasPrefix(stderr.String(), want) || strings.Count(stderr.String(), "installing") != 1 {
		t.Errorf("stderr does not start with the install line:\n%s", stderr.String())
	}
	if !slices.Equal(inst.packages, ocrPackages) {
		t.Errorf("installed %v", inst.packages)
	}
	for _, w := range []string{"invoice.png ==", "number: INV-2041", "total: 1,234.50 EUR", "1 document: 1 analysed in"} {
		if !strings.Contains(stdout.String(), w) {
			t.Errorf("stdout lacks %q:\n%s", w, stdout.String())
		}
	}
}

// fakeTSV writes lines as tesseract's TSV: a word a row, each line its
// own, 20 pixels apart, each word 10 pixels a character wide, confidence
// 91, blank lines starting a new block.
func fakeTSV(lines []string) string {
	var b strings.Builder
	b.WriteString("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n")
	block, line := 1, 0
	for i, l := range lines {
		l = strings.TrimPrefix(l, "# ")
		if strings.TrimSpace(l) == "" {
			block, line = block+1, 0
			continue
		}
		line++
		x := 10
		for j, w := range strings.Fields(l) {
			fmt.Fprintf(&b, "5\t1\t%d\t1\t%d\t%d\t%d\t%d\t%d\t16\t91\t%s\n", block, line, j+1, x, 20*i, 10*len(w), w)
			x += 10*len(w) + 10
		}
	}
	return b.String()
}

// The apt installer runs apt-get as root, through passwordless sudo
// otherwise, and says why it cannot when it cannot; the commands are
// recorded, never run.
func TestAptInstaller(t *testing.T) {
	for _, c := range []struct {
		name     string
		euid     int
		have     []string
		sudoOK   bool
		how, err string
	}{
		{"root", 0, []string{"apt-get"}, false, "apt-get", ""},
		{"sudo", 1000, []string{"apt-get", "sudo"}, true, "sudo -n apt-get", ""},
		{"sudo wants a password", 1000, []string{"apt-get", "sudo"}, false, "", "sudo asks for a password"},
		{"no sudo", 1000, []string{"apt-get"}, false, "", "sudo is not installed"},
		{"not debian", 0, nil, false, "", "not a Debian system"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var ran []string
			a := &aptInstaller{
				euid: func() int { return c.euid },
				lookPath: func(p string) (string, error) {
					if slices.Contains(c.have, p) {
						return "/usr/bin/" + p, nil
					}
					return "", exec.ErrNotFound
				},
				run: func(_ context.Context, name string, args ...string) ([]byte, error) {
					cmd := strings.Join(append([]string{name}, args...), " ")
					ran = append(ran, cmd)
					if cmd == "sudo -n true" && !c.sudoOK {
						return []byte("sudo: a password is required"), errors.New("exit status 1")
					}
					return nil, nil
				},
			}
			how, err := a.Plan()
			if how != c.how || (err == nil) != (c.err == "") || (err != nil && !strings.Contains(err.Error(), c.err)) {
				t.Fatalf("Plan() = %q, %v; want %q, %q", how, err, c.how, c.err)
			}
			if err != nil {
				return
			}
			ran = nil
			if err := a.Install(context.Background(), ocrPackages); err != nil {
				t.Fatal(err)
			}
			pre := ""
			if c.euid != 0 {
				pre = "sudo -n "
			}
			want := []string{pre + "apt-get -o DPkg::Lock::Timeout=300 update", pre + "apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends tesseract-ocr tesseract-ocr-eng"}
			if c.euid != 0 {
				want = append([]string{"sudo -n true"}, want...)
			}
			if !slices.Equal(ran, want) {
				t.Errorf("ran %q, want %q", ran, want)
			}
		})
	}
	// A failing apt-get's last lines are in the error.
	a := &aptInstaller{euid: func() int { return 0 }, lookPath: func(string) (string, error) { return "/usr/bin/apt-get", nil },
		run: func(context.Context, string, ...string) ([]byte, error) {
			return []byte("Reading package lists...\nE: Unable to locate package tesseract-ocr\n"), errors.New("exit status 100")
		}}
	if err := a.Install(context.Background(), ocrPackages); err == nil || !strings.Contains(err.Error(), "Unable to locate package") {
		t.Errorf("Install: %v", err)
	}
}

// A PDF may have scanned pages: without tesseract, and with installing
// impossible, the run says so once and goes on; text-layer pages are
// read, scanned ones reported unread, page by page.
func TestPDFWithoutTesseract(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"northwind.pdf", "fax.pdf"} {
		b, err := samples.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	inst := &fakeInstaller{planErr: errors.New("not root, and sudo is not installed")}
	// streamed (as a large folder is) or not, the same
	code, stdout, stderr, _ := runWith(t, []string{"-stream", dir}, inst)
	if code != 1 || strings.Count(stderr, "scanned PDF pages need OCR") != 1 {
		t.Fatalf("streamed: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	code, stdout, stderr, _ = runWith(t, []string{dir}, inst)
	// the scanned PDF fails (status 1), the text PDF is analysed
	if code != 1 || !strings.Contains(stdout, "2 documents: 1 analysed in") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if n := strings.Count(stderr, "scanned PDF pages need OCR"); n != 1 {
		t.Errorf("the missing OCR was said %d times, want once:\n%s", n, stderr)
	}
	if !strings.Contains(stdout, "number: INV-3107") || !strings.Contains(stdout, "fax.pdf page 2: scanned page and no OCR engine configured") {
		t.Errorf("want the text PDF's fields and the scanned pages named as unread:\n%s", stdout)
	}
}
