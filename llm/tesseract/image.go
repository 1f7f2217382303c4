package tesseract

import (
	"bytes"
	"fmt"
	"mime"
	"strings"

	"github.com/chorus-go/chorus/llm"
)

// mimeTypes are the image types tesseract (through Leptonica) reads.
var mimeTypes = map[string]bool{
	"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true,
	"image/tiff": true, "image/bmp": true, "image/jp2": true,
	"image/x-portable-anymap": true, "image/x-portable-bitmap": true,
	"image/x-portable-graymap": true, "image/x-portable-pixmap": true,
}

// checkImage refuses images tesseract should not be given: an unknown
// MIME type, no data, or data that is not an image of a format Leptonica
// recognises by its first bytes.
//
// The last check matters for safety, not only for clearer errors: when
// the bytes on its standard input are not a recognised image, tesseract
// reads them as a list of file names and OCRs those files, so arbitrary
// bytes from a user could make it read files on this machine.
func checkImage(img llm.Image) error {
	mt, _, err := mime.ParseMediaType(img.MIMEType)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(img.MIMEType))
	}
	if !mimeTypes[mt] {
		return fmt.Errorf("tesseract: %w: %q (want image/png, image/jpeg, image/gif, image/webp, image/tiff, image/bmp, image/jp2 or PNM)", llm.ErrUnsupportedImage, img.MIMEType)
	}
	if len(img.Data) == 0 {
		return fmt.Errorf("tesseract: %w: the image is empty (0 bytes)", llm.ErrUnsupportedImage)
	}
	if sniff(img.Data) == "" {
		n := min(len(img.Data), 8)
		return fmt.Errorf("tesseract: %w: the data (%d bytes starting % x) is not a %s image, nor any image format tesseract reads", llm.ErrUnsupportedImage, len(img.Data), img.Data[:n], mt)
	}
	return nil
}

// sniff names the image format of data from its first bytes, or returns
// "" if it is none tesseract reads. The signatures are the ones Leptonica
// checks (findFileFormatBuffer).
func sniff(b []byte) string {
	has := func(prefix string) bool { return bytes.HasPrefix(b, []byte(prefix)) }
	switch {
	case has("\x89PNG\r\n\x1a\n"):
		return "png"
	case has("\xff\xd8\xff"):
		return "jpeg"
	case has("GIF87a") || has("GIF89a"):
		return "gif"
	case len(b) >= 12 && has("RIFF") && string(b[8:12]) == "WEBP":
		return "webp"
	case has("II*\x00") || has("MM\x00*"):
		return "tiff"
	case has("BM") && len(b) >= 14:
		return "bmp"
	case has("\x00\x00\x00\x0cjP  \r\n\x87\n") || has("\xff\x4f\xff\x51"):
		return "jp2"
	case len(b) >= 3 && b[0] == 'P' && b[1] >= '1' && b[1] <= '6' && isSpace(b[2]):
		return "pnm"
	}
	return ""
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
