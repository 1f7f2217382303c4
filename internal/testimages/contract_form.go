package testimages

// Contract is a two-party service agreement (contract.png), scanned
// lightly askew: made on 1 April 2026 between Northwind Supplies GmbH
// (the Supplier) and Acme Widgets Ltd (the Customer), effective 1 April
// 2026 for a term of 24 months, governed by the laws of England and Wales.
func Contract() Document {
	return Document{
		Name: "contract",
		Lines: []string{
			"# SERVICE AGREEMENT",
			"Agreement No. SA-2026-017",
			"",
			"This Service Agreement is made on 1 April 2026 between",
			"Northwind Supplies GmbH, Hafenstrasse 7, 20457 Hamburg",
			"(the Supplier) and Acme Widgets Ltd, 5 Mill Lane, Leeds",
			"LS1 4AB (the Customer).",
			"",
			"1. Services. The Supplier will install and maintain the",
			"widget assembly line at the Customer's plant in Leeds.",
			"2. Term. This Agreement takes effect on 1 April 2026 (the",
			"Effective Date) and runs for a term of 24 months.",
			"3. Fees. The Customer will pay 2,500.00 EUR per month,",
			"invoiced monthly and due within 30 days.",
			"4. Termination. Either party may end this Agreement with",
			"90 days' written notice.",
			"5. Governing law. This Agreement is governed by the laws",
			"of England and Wales.",
			"",
			"Signed for the Supplier: Anna Weber, Director",
			"Signed for the Customer: David Brown, Operations Manager",
		},
		Options: Options{Font: Regular, Size: 10.5, DPI: 170},
		Rotate:  0.8,
		Noise:   &Noise{Seed: 7, Paper: 0.1, Blur: 0.4, SaltPepper: 0.001},
	}
}

// Form is a filled-in library membership application (form.png): one
// "Label: value" entry a line, applicant Maria Garcia, signed on
// 2026-03-10, scanned slightly turned.
func Form() Document {
	return Document{
		Name: "form",
		Lines: []string{
			"# MEMBERSHIP APPLICATION FORM",
			"Riverside Public Library",
			"Please complete all fields in block capitals.",
			"",
			"Full name: Maria Garcia",
			"Date of birth: 1990-05-17",
			"Address: 22 Elm Road, Springfield",
			"Email: maria.garcia@example.com",
			"Phone: +44 20 7946 0958",
			"Membership type: Adult",
			"Library card number: LIB-55817",
			"",
			"Applicant signature: M. Garcia",
			"Date signed: 2026-03-10",
			"",
			"For office use only: approved by J. Lee",
		},
		Options: Options{Font: Regular, Size: 11, DPI: 200},
		Rotate:  -1,
		Noise:   &Noise{Seed: 11, Paper: 0.12, Blur: 0.5, SaltPepper: 0.002},
	}
}
