package grafana_test

import (
	"encoding/json"
	"fmt"

	"github.com/chorus-go/chorus/examples/grafana"
)

// The dashboard is JSON that Grafana imports (Dashboards > New > Import)
// or loads from the provisioning files.
func ExampleDashboard() {
	var d struct {
		UID   string `json:"uid"`
		Title string `json:"title"`
	}
	if err := json.Unmarshal(grafana.Dashboard(), &d); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.UID, "-", d.Title)
	// Output: chorus-nodes - Chorus: chains and models
}
