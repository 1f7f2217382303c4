package tesseract

import (
	"errors"
	"fmt"
	"strings"

	"github.com/chorus-go/chorus/chain"
)

// Sentinel errors, for errors.Is.
var (
	// ErrNotInstalled: the tesseract program was not found (or cannot be
	// run). On Debian and Ubuntu, install the tesseract-ocr package.
	ErrNotInstalled = errors.New("tesseract: the tesseract program is not installed (on Debian or Ubuntu: apt-get install tesseract-ocr tesseract-ocr-eng)")
	// ErrLanguageMissing matches a *LanguageError: the trained data for
	// a language asked for is not installed.
	ErrLanguageMissing = errors.New("tesseract: language data not installed")
	// ErrBadTSV: tesseract's TSV output could not be parsed.
	ErrBadTSV = errors.New("tesseract: malformed TSV output")
	// ErrBadOption: New was given an invalid option. New's error then
	// matches chain.ErrConfig too.
	ErrBadOption = errors.New("tesseract: invalid option")
)

// LanguageError says that tesseract could not load a language's trained
// data, and which Debian package provides it.
type LanguageError struct {
	// Language is the language tesseract failed to load, such as "deu".
	Language string
	// Stderr is what tesseract printed, trimmed.
	Stderr string
}

// Package returns the Debian package that holds the language's data, such
// as tesseract-ocr-deu or tesseract-ocr-chi-sim.
func (e *LanguageError) Package() string { return debianPackage(e.Language) }

// Error names the language and the package to install.
func (e *LanguageError) Error() string {
	return fmt.Sprintf("tesseract: language %q is not installed (on Debian or Ubuntu: apt-get install %s)", e.Language, e.Package())
}

// Is reports whether target is ErrLanguageMissing.
func (e *LanguageError) Is(target error) bool { return target == ErrLanguageMissing }

// debianPackage maps a tesseract language name to its Debian package:
// "deu" -> tesseract-ocr-deu, "chi_sim" -> tesseract-ocr-chi-sim,
// "script/Latin" -> tesseract-ocr-script-latn.
func debianPackage(lang string) string {
	if rest, ok := strings.CutPrefix(lang, "script/"); ok {
		name, vert := strings.CutSuffix(rest, "_vert")
		code, ok := scriptCodes[name]
		if !ok {
			code = strings.ToLower(name)
		}
		if vert {
			code += "-vert"
		}
		return "tesseract-ocr-script-" + code
	}
	return "tesseract-ocr-" + strings.ReplaceAll(strings.ToLower(lang), "_", "-")
}

// ExitError is tesseract ending with a non-zero status: Stderr (trimmed)
// says why, for example that the image could not be decoded.
type ExitError struct {
	// Code is the exit status.
	Code int
	// Stderr is what tesseract printed, trimmed and shortened to a few
	// kilobytes.
	Stderr string
	// Err is the error from os/exec.
	Err error
}

// Error reports the exit status and tesseract's message.
func (e *ExitError) Error() string {
	if e.Stderr == "" {
		return fmt.Sprintf("tesseract: exit status %d", e.Code)
	}
	return fmt.Sprintf("tesseract: exit status %d: %s", e.Code, e.Stderr)
}

// Unwrap returns the error from os/exec.
func (e *ExitError) Unwrap() error { return e.Err }

// scriptCodes maps tesseract's script model names to the ISO 15924 codes
// Debian names its tesseract-ocr-script-* packages by.
var scriptCodes = map[string]string{
	"Arabic": "arab", "Armenian": "armn", "Bengali": "beng", "Canadian_Aboriginal": "cans",
	"Cherokee": "cher", "Cyrillic": "cyrl", "Devanagari": "deva", "Ethiopic": "ethi",
	"Fraktur": "frak", "Georgian": "geor", "Greek": "grek", "Gujarati": "gujr",
	"Gurmukhi": "guru", "Hangul": "hang", "HanS": "hans", "HanT": "hant", "Hebrew": "hebr",
	"Japanese": "jpan", "Kannada": "knda", "Khmer": "khmr", "Lao": "laoo", "Latin": "latn",
	"Malayalam": "mlym", "Myanmar": "mymr", "Oriya": "orya", "Sinhala": "sinh",
	"Syriac": "syrc", "Tamil": "taml", "Telugu": "telu", "Thaana": "thaa", "Thai": "thai",
	"Tibetan": "tibt", "Vietnamese": "viet",
}

// configError is New's error for an invalid option: it matches
// chain.ErrConfig as well as ErrBadOption.
type configError struct{ err error }

func (e configError) Error() string        { return e.err.Error() }
func (e configError) Unwrap() error        { return e.err }
func (e configError) Is(target error) bool { return target == chain.ErrConfig }
