// Portolan's embedding script: what `embed=1` and a provider preset (portolan.json) ask of the
// page, done outside the wasm so the first screen stays small.
//
// - `embed=1` in the URL: the compact layout (no site chrome), through `data-embed` on <html>.
// - The preset's branding, which the page puts into `data-portolan-brand` on <html> once the
//   engine worker validated the file: the colours (CSS custom properties), the provider's name
//   and logo above the app, its help links below it.
// - Events for the parent page, posted only when the page is framed and only to the origin the
//   preset names (never "*"): `portolan:ready`, `portolan:result-shown`,
//   `portolan:file-downloaded` and `portolan:height`. The README documents their shape.
(() => {
  const root = document.documentElement;
  if (new URLSearchParams(location.search).get('embed') === '1') root.dataset.embed = '1';

  let origin = null;
  const post = (message) => {
    if (origin && window.parent !== window) window.parent.postMessage({ source: 'portolan', ...message }, origin);
  };

  const element = (name, attributes = {}, text = '') => {
    const node = document.createElement(name);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    if (text) node.textContent = text;
    return node;
  };

  const brand = (branding) => {
    for (const [property, value] of Object.entries(branding.theme ?? {})) root.style.setProperty(property, value);
    const app = document.getElementById('app');
    if (branding.name && !document.getElementById('brand')) {
      const header = element('section', { id: 'brand', class: 'brand', 'aria-label': branding.name });
      if (branding.logo) header.append(element('img', { src: branding.logo, alt: '', class: 'brand-logo' }));
      header.append(element('span', { class: 'brand-name' }, branding.name));
      app.before(header);
    }
    if ((branding.help ?? []).length && !document.getElementById('brand-help')) {
      const nav = element('nav', { id: 'brand-help', class: 'brand-help', 'aria-label': branding.name ? `${branding.name}: help` : 'Help' });
      for (const link of branding.help) nav.append(element('a', { href: link.url, target: '_blank', rel: 'noopener' }, link.label));
      app.after(nav);
    }
    origin = branding.parentOrigin ?? null;
    // A preset that adds nothing to the page changes no node: say ready now, not at the
    // next change.
    watch();
  };

  let ready = false;
  let resultShown = false;
  let height = 0;
  const watch = () => {
    if (!ready && origin && document.querySelector('.page[data-ready]')) {
      ready = true;
      post({ type: 'portolan:ready' });
    }
    const shown = document.querySelector('[data-result-ready="true"] #result-heading') !== null;
    if (shown && !resultShown) post({ type: 'portolan:result-shown', client: document.getElementById('result-client')?.value ?? null });
    resultShown = shown;
  };
  // The content's own height (not scrollHeight, which never falls below the frame's): the
  // frame may shrink as well as grow.
  const measure = () => {
    const now = Math.ceil(root.getBoundingClientRect().height);
    if (now !== height) {
      height = now;
      post({ type: 'portolan:height', height });
    }
  };

  new MutationObserver(() => {
    const text = root.getAttribute('data-portolan-brand');
    if (text && origin === null) {
      try {
        brand(JSON.parse(text));
      } catch {
        // The page writes what the engine validated; anything else is ignored.
      }
      height = 0;
      measure();
    }
  }).observe(root, { attributes: true, attributeFilter: ['data-portolan-brand'] });
  new MutationObserver(watch).observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-ready', 'data-result-ready'] });
  new ResizeObserver(measure).observe(document.body);
  document.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[download]') : null;
    if (link) post({ type: 'portolan:file-downloaded', file: link.getAttribute('download') });
  }, true);
})();
