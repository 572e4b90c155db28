"""Non-news texts written by hand for these tests (not copied from anywhere)."""

POEM = """The harbour lamps are lit at five,
the gulls go quiet on the wall,
and every boat that came back alive
is tied and rocking, one and all.

The nets hang drying on the rail,
the salt is heavy in the air,
a child is counting every sail
and no one asks her why or where.

So let the tide come in tonight
and let it carry what it will,
the windows hold their yellow light
above the water, dark and still."""

RECIPE = """Lemon barley soup

Serves 4

200 g pearl barley
1 large onion, chopped
2 carrots, diced
2 tbsp olive oil
1.5 l vegetable stock
1 lemon, juiced
a handful of parsley

Rinse the barley in a sieve until the water runs clear.
Heat the oil in a large pan and cook the onion and carrots for 8 minutes until soft.
Add the barley and the stock, bring to the boil, then simmer for 40 minutes.
Stir in the lemon juice, season to taste and serve in warm bowls with the parsley on top."""
