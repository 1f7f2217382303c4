package pgmemory_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/memory"
	"github.com/chorus-go/chorus/memory/pgmemory"
)

// A conversation memory in PostgreSQL, limited to the last 20 messages
// sent with each request.
func ExampleNew() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	store, err := pgmemory.New(ctx, pool, pgmemory.Table("chat_memory"))
	if err != nil {
		log.Fatal(err)
	}
	mem := memory.MustWindow(store, 20)
	if err := mem.Append(ctx, "user-42", llm.User("Hi, I'm Ada."), llm.Assistant("Hello, Ada!")); err != nil {
		log.Fatal(err)
	}
	history, err := mem.Messages(ctx, "user-42")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(history), "messages")
}
