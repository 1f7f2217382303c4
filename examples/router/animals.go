package main

// Group is the broad class of an animal: the route to a specialist.
type Group string

// The groups the broad classifier tells apart.
const (
	Bird    Group = "bird"
	Mammal  Group = "mammal"
	Reptile Group = "reptile"
)

// Groups lists the groups in a fixed order.
var Groups = []Group{Bird, Mammal, Reptile}

// Species is what a specialist decides.
type Species string

// SpeciesOf lists each group's species.
var SpeciesOf = map[Group][]Species{
	Bird:    {"heron", "owl", "hummingbird", "penguin"},
	Mammal:  {"fox", "bat", "whale", "hedgehog"},
	Reptile: {"crocodile", "chameleon", "tortoise", "viper"},
}

// example is a bundled field description, for training the local models.
type example struct {
	group   Group
	species Species
	text    string
}

// examples are short field notes the naive Bayes classifiers learn from.
var examples = []example{
	{Bird, "heron", "A tall grey bird with long legs stood still in the shallow water of the pond."},
	{Bird, "heron", "It waded slowly through the reeds and speared a fish with its long sharp beak."},
	{Bird, "heron", "A big grey wading bird flew over the river with slow wing beats and its neck folded."},
	{Bird, "heron", "Standing on one leg at the edge of the lake, the patient bird watched for frogs and fish."},
	{Bird, "owl", "At night a bird with soft feathers hooted from the old barn."},
	{Bird, "owl", "Its huge round eyes stared at us and it turned its head almost all the way round."},
	{Bird, "owl", "A silent night hunter on soft wings caught a mouse in the field by moonlight."},
	{Bird, "owl", "We heard the hoot in the dark wood and saw a feathered face with big eyes."},
	{Bird, "hummingbird", "A tiny bird hovered in front of the flowers, sipping nectar with its thin beak."},
	{Bird, "hummingbird", "Its wings beat so fast they hummed, and it hovered and darted from flower to flower."},
	{Bird, "hummingbird", "A tiny shimmering green bird drank nectar from the red flowers in the garden."},
	{Bird, "hummingbird", "The smallest bird we saw hovered like an insect at the feeder."},
	{Bird, "penguin", "A black and white bird that cannot fly waddled across the ice."},
	{Bird, "penguin", "The flightless birds dived into the cold sea and swam fast after fish."},
	{Bird, "penguin", "On the frozen shore a colony of birds huddled together against the snow and wind."},
	{Bird, "penguin", "It slid on its belly over the ice, then swam under the water using its flippers like wings."},
	{Mammal, "fox", "A red furry animal with a bushy tail trotted along the hedge at dawn."},
	{Mammal, "fox", "The sly hunter with pointed ears and a white tipped tail pounced on a vole in the snow."},
	{Mammal, "fox", "At dusk a russet dog-like animal with fur crept towards the hen house."},
	{Mammal, "fox", "We saw a red fur coat and a long bushy tail slip into a den under the hedge."},
	{Mammal, "bat", "A small furry animal flew at dusk on leathery wings, catching moths."},
	{Mammal, "bat", "It hung upside down in the cave by day and flew out at night to hunt insects."},
	{Mammal, "bat", "The little mammal flitted around the street lamp, finding moths by echo and squeaks."},
	{Mammal, "bat", "Furry body, leathery wings of skin, it roosted upside down under the bridge."},
	{Mammal, "whale", "An enormous animal surfaced to breathe and spouted water high into the air."},
	{Mammal, "whale", "The giant of the ocean sang long songs and fed its calf with milk."},
	{Mammal, "whale", "A huge grey back rolled through the waves and a great tail fluke rose from the sea."},
	{Mammal, "whale", "From the boat we saw the enormous mammal breathe through its blowhole and dive deep."},
	{Mammal, "hedgehog", "A small animal covered in spines rolled into a ball under the leaves."},
	{Mammal, "hedgehog", "At night it snuffled through the garden eating slugs and beetles, its back full of prickles."},
	{Mammal, "hedgehog", "The little spiny mammal with a pointed snout slept all winter in a pile of leaves."},
	{Mammal, "hedgehog", "It curled into a prickly ball when the dog came near."},
	{Reptile, "crocodile", "A long animal with scaly skin and huge jaws lurked in the muddy river."},
	{Reptile, "crocodile", "Only its eyes and nostrils showed above the water before the armoured jaws snapped shut."},
	{Reptile, "crocodile", "The big scaly reptile basked on the river bank with its mouth wide open, full of teeth."},
	{Reptile, "crocodile", "It dragged the antelope under the water with powerful jaws and a scaly tail."},
	{Reptile, "chameleon", "On the branch it changed colour from green to brown to match the leaves."},
	{Reptile, "chameleon", "It caught a fly with a long sticky tongue while its eyes moved on their own."},
	{Reptile, "chameleon", "A slow lizard gripping a twig with its feet and curled tail changed its colour."},
	{Reptile, "chameleon", "Its eyes swivelled separately and its skin turned a new colour as it crept along the twig."},
	{Reptile, "tortoise", "A slow animal with a heavy domed shell chewed grass in the sun."},
	{Reptile, "tortoise", "It pulled its scaly head and legs into its hard shell when we came close."},
	{Reptile, "tortoise", "The old reptile lumbered across the dry ground, its shell covered in dust."},
	{Reptile, "tortoise", "A land reptile with a high shell and thick legs munched on dandelions very slowly."},
	{Reptile, "viper", "A snake with a zigzag pattern on its back basked on the warm heath."},
	{Reptile, "viper", "The venomous snake slithered into the heather and hissed, showing its fangs."},
	{Reptile, "viper", "A short thick scaly snake coiled on a sunny rock, its venom fangs ready."},
	{Reptile, "viper", "It slid without legs through the dry grass, a cold blooded snake with a dark zigzag."},
}

// sample is an input of the default run, with what it should be.
type sample struct {
	text    string
	group   Group
	species Species
}

// samples are field notes the models have not seen.
var samples = []sample{
	{"A tall grey bird stood motionless in the shallows, then speared a fish with its long beak.", Bird, "heron"},
	{"Something with soft feathers hooted from the barn at night and turned its head right round.", Bird, "owl"},
	{"A tiny bird hovered at the flowers, its wings beating too fast to see.", Bird, "hummingbird"},
	{"A black and white bird that cannot fly waddled on the ice, then dived into the sea.", Bird, "penguin"},
	{"A small furry animal flew at dusk on leathery wings, catching moths.", Mammal, "bat"},
	{"A red furry hunter with a bushy tail trotted along the hedge at dawn.", Mammal, "fox"},
	{"An enormous animal surfaced to breathe, spouting water, and sang to its calf.", Mammal, "whale"},
	{"A spiny little animal rolled into a prickly ball in the leaves.", Mammal, "hedgehog"},
	{"A long scaly animal with huge jaws lurked in the river mud.", Reptile, "crocodile"},
	{"It changed colour on the branch and caught a fly with its long sticky tongue.", Reptile, "chameleon"},
	{"A slow animal with a heavy domed shell chewed the grass.", Reptile, "tortoise"},
	{"A venomous snake with a zigzag back basked on the heath.", Reptile, "viper"},
}
