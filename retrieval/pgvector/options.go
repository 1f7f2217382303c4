package pgvector

import (
	"time"

	"github.com/chorus-go/chorus/retrieval"
)

// Limits on what a store accepts, checked before anything is sent.
const (
	// MaxIDBytes is the longest document ID, in bytes. The ID is the
	// table's primary key, and a B-tree entry must fit in a third of a
	// page (about 2.7 kB); 1 KiB leaves room for the row's other index
	// overheads and keeps index pages useful.
	MaxIDBytes = 1 << 10
	// DefaultMaxTextBytes is the default longest document text, in bytes
	// (see MaxTextBytes): 512 KiB. PostgreSQL refuses a tsvector above
	// 1 MiB of lexemes (SQLSTATE 54000), which a text of distinct words
	// reaches at about its own size.
	DefaultMaxTextBytes = 512 << 10
	// DefaultMaxInValues is the default largest number of values of one
	// In filter (see FilterLimits).
	DefaultMaxInValues = 1000
	// DefaultMaxFilterBytes is the default largest total size, in bytes,
	// of a filter's keys and values as sent to the server (see
	// FilterLimits): 64 KiB.
	DefaultMaxFilterBytes = 64 << 10
	// DefaultStatementTimeout is the default statement_timeout of a
	// search (see StatementTimeout).
	DefaultStatementTimeout = 30 * time.Second
)

// IndexKind is the vector index a store builds.
type IndexKind int

// The vector indexes.
const (
	// AutoIndex is HNSW when the installed pgvector has it (0.5 or
	// later), IVFFlat otherwise.
	AutoIndex IndexKind = iota
	// HNSW builds a hierarchical navigable small world graph: the best
	// recall for the latency; slower to build.
	HNSW
	// IVFFlat clusters the vectors into lists and searches the nearest
	// lists (see Probes): faster to build, needs data to train on, so
	// build it after loading (DeferIndex).
	IVFFlat
	// NoIndex builds no vector index: every search is exact and scans the
	// table.
	NoIndex
)

// String names the index kind.
func (k IndexKind) String() string {
	switch k {
	case AutoIndex:
		return "auto"
	case HNSW:
		return "hnsw"
	case IVFFlat:
		return "ivfflat"
	case NoIndex:
		return "none"
	}
	return "unknown"
}

// Columns names the table's columns. Empty fields keep the default name.
type Columns struct {
	ID        string // default "id"
	Text      string // default "content"
	Metadata  string // default "metadata"
	Embedding string // default "embedding"
	TSV       string // default "tsv", the generated tsvector column
}

// Option configures a Store.
type Option func(*config)

type config struct {
	metric         retrieval.Metric
	index          IndexKind
	deferIndex     bool
	hnswM          int
	efConstruction int
	efSearch       int
	lists          int
	probes         int
	batchSize      int
	schema         string
	cols           Columns
	textSearch     string
	workMem        string
	candidates     func(k int) int
	maxText        int
	maxInValues    int
	maxFilterBytes int
	timeout        time.Duration
}

func defaultConfig() config {
	return config{
		metric:         retrieval.Cosine,
		hnswM:          16,
		efConstruction: 64,
		batchSize:      1000,
		cols:           Columns{ID: "id", Text: "content", Metadata: "metadata", Embedding: "embedding", TSV: "tsv"},
		textSearch:     "english",
		workMem:        "1GB",
		candidates:     func(k int) int { return max(4*k, 40) },
		maxText:        DefaultMaxTextBytes,
		maxInValues:    DefaultMaxInValues,
		maxFilterBytes: DefaultMaxFilterBytes,
		timeout:        DefaultStatementTimeout,
	}
}

// Metric sets how vectors are compared (default retrieval.Cosine); it
// picks the distance operator and the index's operator class.
func Metric(m retrieval.Metric) Option { return func(c *config) { c.metric = m } }

// Index sets the vector index (default AutoIndex).
func Index(k IndexKind) Option { return func(c *config) { c.index = k } }

// DeferIndex makes New create the table without its indexes; call
// CreateIndex once the bulk load is done.
func DeferIndex() Option { return func(c *config) { c.deferIndex = true } }

// HNSWBuild sets the HNSW build parameters: m, the links per node
// (default 16, 2 to 100), and ef_construction, the candidate list while
// building (default 64, at least 2m, at most 1000).
func HNSWBuild(m, efConstruction int) Option {
	return func(c *config) { c.hnswM, c.efConstruction = m, efConstruction }
}

// EFSearch sets hnsw.ef_search, the candidate list of an HNSW search
// (default 40, pgvector's; 1 to 1000). It is raised to k when k is larger.
// Higher means better recall and slower searches.
func EFSearch(n int) Option { return func(c *config) { c.efSearch = n } }

// IVFFlatLists sets the lists of an IVFFlat index (default: rows/1000,
// or sqrt(rows) above a million rows, counted when the index is built;
// 100 for an empty table).
func IVFFlatLists(n int) Option { return func(c *config) { c.lists = n } }

// Probes sets ivfflat.probes, the lists an IVFFlat search visits (default:
// the server's, 1).
func Probes(n int) Option { return func(c *config) { c.probes = n } }

// BatchSize sets how many documents Upsert writes per transaction
// (default 1000).
func BatchSize(n int) Option { return func(c *config) { c.batchSize = n } }

// Schema puts the table in a schema other than the first of the
// search_path. The schema must exist.
func Schema(name string) Option { return func(c *config) { c.schema = name } }

// ColumnNames renames the table's columns.
func ColumnNames(cols Columns) Option {
	return func(c *config) {
		for _, f := range []struct {
			dst *string
			src string
		}{
			{&c.cols.ID, cols.ID}, {&c.cols.Text, cols.Text}, {&c.cols.Metadata, cols.Metadata},
			{&c.cols.Embedding, cols.Embedding}, {&c.cols.TSV, cols.TSV},
		} {
			if f.src != "" {
				*f.dst = f.src
			}
		}
	}
}

// TextSearch sets the text search configuration of the generated tsvector
// column and of hybrid queries (default "english"; "simple" does no
// stemming). An empty name creates no tsvector column and disables
// HybridSearch.
func TextSearch(name string) Option { return func(c *config) { c.textSearch = name } }

// MaintenanceWorkMem sets maintenance_work_mem for the transaction that
// builds the indexes (default "1GB"; a number with kB, MB, GB or TB). The
// HNSW build is about four times faster when the graph fits in it.
func MaintenanceWorkMem(size string) Option { return func(c *config) { c.workMem = size } }

// Candidates sets how many rows each side of a hybrid search fetches for a
// search of k results (default max(4k, 40)).
func Candidates(f func(k int) int) Option { return func(c *config) { c.candidates = f } }

// MaxTextBytes sets the longest document text Upsert accepts, in bytes
// (default DefaultMaxTextBytes; at least 1). With a tsvector column, a
// limit above 1 MiB lets texts through that PostgreSQL may refuse.
func MaxTextBytes(n int) Option { return func(c *config) { c.maxText = n } }

// FilterLimits sets the most values one In filter may hold (default
// DefaultMaxInValues) and the largest total size, in bytes, of a filter's
// keys and values (default DefaultMaxFilterBytes). A larger filter makes
// the search fail with an error matching retrieval.ErrInvalidFilter
// before anything is sent. Both must be at least 1.
func FilterLimits(maxInValues, maxBytes int) Option {
	return func(c *config) { c.maxInValues, c.maxFilterBytes = maxInValues, maxBytes }
}

// StatementTimeout sets the statement_timeout (SET LOCAL) of each search
// statement and of each statement of an Upsert batch (default
// DefaultStatementTimeout, rounded up to a millisecond); 0 leaves the
// server's setting. A statement that runs longer is cancelled by the
// server and fails with SQLSTATE 57014 (query_canceled).
func StatementTimeout(d time.Duration) Option { return func(c *config) { c.timeout = d } }
