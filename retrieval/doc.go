// Package retrieval holds what retrieval-augmented generation is made of:
// documents, splitters that cut them into chunks, vector stores that find
// the chunks nearest to a query, a hashing embedder that needs no model,
// and the retriever and RAG chains that tie them to an llm.Embedder and an
// llm.ChatModel.
//
//	embedder := retrieval.MustHashEmbedder(256) // or any llm.Embedder
//	store := retrieval.MustMemoryStore()        // or a pgvector.Store
//	n, err := retrieval.Ingest(embedder, store, retrieval.MustRecursiveSplitter(200, 20)).Run(ctx, docs)
//	find := retrieval.Retriever(embedder, store, 1)
//	found, err := find.Run(ctx, "which models keep the majority answer?") // the "vote" document
//
// (Example runs it.)
//
// # Documents and splitters
//
// A Document is an ID, a text, JSON metadata and an embedding. A Splitter
// cuts one into chunks: RecursiveSplitter tries separators from coarse to
// fine (paragraphs, lines, sentences, words, characters) and keeps chunks
// under a size with some overlap; MarkdownSplitter first cuts at headings
// and records the heading path of each chunk in its metadata. Sizes count
// characters by default, or tokens through the llm.TokenCounter given to
// CountWith (llm.ApproxTokens approximates a word-piece tokenizer; memory
// measures its budgets with the same counters).
//
// # Stores
//
// A Store upserts documents, deletes them by ID and returns the k documents
// nearest to a query vector, optionally only those with a score of at least
// MinScore and metadata matching a Filter (Eq, In, Gt, Gte, Lt, Lte,
// Contains, And, Or). Every store scores the same way (see Metric): for
// cosine, the score is the cosine similarity in [-1, 1], that is 1 minus
// the cosine distance.
//
// MemoryStore is the embedded default: exact search, safe for concurrent
// use, no dependencies. The retrieval/pgvector package stores documents in
// PostgreSQL with pgvector (HNSW or IVFFlat indexes, bulk ingest through
// COPY, JSONB metadata filters, hybrid full-text and vector search). The
// retrieval/storetest package holds the contract tests every store passes.
//
// Stores check documents before writing any of them: an empty ID or text,
// a vector of the wrong dimension, a NaN, or metadata JSON cannot hold is
// an error and nothing is written.
//
// # Chains
//
// Retriever makes a chain from a query string to documents (the query is
// embedded by an llm.Embedder); RAG makes a chain from a question to an
// Answer: it retrieves sources, asks an llm.ChatModel to answer citing them
// as [1], [2], and parses the citations back. Both are built from the chain
// package's combinators, so they draw as inference graphs and report to
// hooks. Ingest embeds and stores documents. HashEmbedder is a
// deterministic bag-of-words embedder for tests and for running with no
// model server. Embeddings go through llm.Embed, which reports an
// embedder's token usage to hooks.
//
// # Constructors and options
//
// A NewX that can fail (NewMemoryStore, NewHashEmbedder,
// NewRecursiveSplitter, NewMarkdownSplitter) returns its error, matching
// chain.ErrConfig, and has a MustX twin that panics with it, like
// regexp.Compile and regexp.MustCompile. An invalid option value is an
// error of the constructor, never a panic of the option. The chain
// constructors (Retriever, HybridRetriever, RAG, Ingest) panic with such
// an error, like the chain package's combinators; chain.Build turns the
// panic into an error.
package retrieval
