// Package visionocr reads the text of images with any vision-capable chat
// model (GPT-4o, Llama 3.2 Vision through Ollama, Qwen-VL behind an
// OpenAI-compatible server...): it implements llm.OCR by sending the image
// with an instruction to transcribe every word verbatim.
//
//	ocr, err := visionocr.New(model) // e.g. openai.New("gpt-4o-mini"), ollama.New("llama3.2-vision")
//	if err != nil {
//		return err // errors.Is(err, chain.ErrConfig)
//	}
//	res, err := ocr.Recognize(ctx, llm.Image{MIMEType: "image/png", Data: png})
//	fmt.Println(res.Text)
//
// (Example runs it with a scripted model.)
//
// The result has the text only: no word boxes, and Confidence 0 since
// chat models do not say how sure they are. Use it where layout is
// unusual or handwriting defeats classical OCR, or vote it against
// llm/tesseract with chain.Vote.
//
// Errors from the model are returned wrapped, so errors.Is and errors.As
// still see the provider's *llm.Error (and chain.Retry can retry it);
// images are checked with llm.Request.Validate before anything is sent.
package visionocr
