// Package tesseract is an llm.OCR adapter for the Tesseract OCR engine
// (https://github.com/tesseract-ocr/tesseract): it runs the tesseract
// program, version 4 or 5, once per image.
//
//	eng, err := tesseract.New(tesseract.WithLanguages("eng"))
//	if err != nil {
//		return err // errors.Is(err, tesseract.ErrNotInstalled): apt install tesseract-ocr
//	}
//	res, err := eng.Recognize(ctx, llm.Image{MIMEType: "image/png", Data: png})
//	fmt.Println(res.Text) // and each word's box and confidence in res.Words
//
// (Example runs it on testdata/invoice.png when tesseract is installed;
// since it may not be, it has no Output to check. ExampleParseTSV runs the
// parsing of tesseract's output without the program.)
//
// The image goes to tesseract on its standard input and the words come
// back as TSV, so no temporary files are written. The result carries each
// word's box, confidence (scaled to [0, 1]) and block, paragraph and line,
// the text rebuilt from the words (lines separated by newlines, paragraphs
// and blocks by blank lines) and the mean confidence.
//
// On Debian and Ubuntu install tesseract-ocr and one package per language
// (tesseract-ocr-eng, tesseract-ocr-deu, ...). New fails with an error
// matching ErrNotInstalled when the program is missing; a language whose
// data is missing gives a *LanguageError naming the package to install.
//
// By default tesseract runs with OMP_THREAD_LIMIT=1 (WithThreads): one
// page is read fastest on one thread on small machines, and an Engine
// runs up to GOMAXPROCS pages at once (WithMaxConcurrency). A call's
// context, or the WithTimeout limit, kills the process when it ends.
//
// Images whose bytes are not a recognised image format are refused before
// tesseract runs: given anything else on its standard input, tesseract
// would read it as a list of file names and OCR those files.
package tesseract

//go:generate go run ../../internal/testimages/cmd/gen -out testdata
