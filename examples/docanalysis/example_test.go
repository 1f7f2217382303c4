package main

import "fmt"

// How the report says each page of a PDF was read.
func ExamplePageInfo_String() {
	fmt.Println(PageInfo{Number: 1, Method: "text", Chars: 303, Confidence: 1})
	fmt.Println(PageInfo{Number: 2, Method: "ocr", Chars: 336, Confidence: 0.93})
	// Output:
	// page 1: text, 303 characters
	// page 2: ocr, 336 characters, confidence 93%
}
