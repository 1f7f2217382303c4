package testimages

import (
	"bytes"
	"image"
	"image/png"
)

// EncodePNG encodes img as a PNG file, compressed as tightly as the
// standard library can.
func EncodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
