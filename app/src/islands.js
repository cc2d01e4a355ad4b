// Loads the WASM only where the page has islands: a page without any stays at zero bytes of it.
// Each island is hydrated by its own exported function, named in its `data-component`. Islands
// are never nested here, so document order is hydration order.
((pkg, js, wasm) => {
	const ready = () => {
		// Controls that need scripts are shown only from now on; tests wait for the flag.
		document.documentElement.classList.add("js");
		window.__linliHydrated = true;
	};
	const islands = document.querySelectorAll("leptos-island");
	if (islands.length === 0) {
		ready();
		return;
	}
	// If the bundle cannot load (offline), controls that need it stay hidden.
	import(`${pkg}/${js}.js`)
		.then(async (mod) => {
			await mod.default({ module_or_path: `${pkg}/${wasm}.wasm` });
			mod.hydrate();
			for (const el of islands) {
				const island = mod[el.dataset.component];
				try {
					if (island) await island(el);
					else console.warn(`no island ${el.dataset.component}`);
				} catch (e) {
					// One broken island must not keep the others (or the page's controls) away.
					console.error(e);
				}
			}
			ready();
		});
})
