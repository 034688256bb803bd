/* The theme's two drawers (the site menu and "on this page") for the keyboard and screen readers.
   Progressive enhancement: without this script the page is as the theme makes it.

   The theme opens a drawer with a hidden checkbox and <label>s as its toggles, which the keyboard
   cannot reach and which have no name. Here each toggle becomes a <button> with the drawer's
   name (in the edition's language, from this script tag's data-* attributes, see
   site_controls.py) and its state (aria-expanded); each drawer is a named landmark. A drawer
   that is out of view (off-canvas and closed) is inert, so its links take no focus. An open
   off-canvas drawer holds the focus: the rest of the page is inert until it closes (its close
   button, Escape, or a click beside it), and the focus returns to the toggle. */
(() => {
  "use strict";
  const words = document.currentScript.dataset;
  const drawers = [
    { box: "__navigation", drawer: ".sidebar-drawer", toggles: "label.nav-overlay-icon", name: words.menu },
    { box: "__toc", drawer: ".toc-drawer", toggles: "label.toc-overlay-icon", name: words.contents },
  ];
  const held = new Set(); // what an open drawer made inert, to give back when it closes

  // A toggle <label> becomes a <button> with the same look (classes and icon).
  const button = (label, d) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = `${label.className} drawer-toggle`;
    b.append(...label.childNodes);
    b.setAttribute("aria-label", d.name);
    b.setAttribute("aria-controls", d.drawer.id);
    b.addEventListener("click", () => open(d, !d.box.checked));
    label.replaceWith(b);
    return b;
  };

  const offCanvas = (d) => getComputedStyle(d.drawer).position === "fixed";

  // Everything beside the drawer, up to <body>, but the theme's overlays (a click there closes).
  const beside = (drawer) => {
    const found = [];
    for (let at = drawer; at && at !== document.body; at = at.parentElement) {
      for (const el of at.parentElement.children) {
        if (el !== at && !el.matches("script, .overlay, input.sidebar-toggle")) found.push(el);
      }
    }
    return found;
  };

  const update = () => {
    held.forEach((el) => (el.inert = false));
    held.clear();
    for (const d of drawers) {
      if (!d.drawer) continue;
      const modal = offCanvas(d);
      d.drawer.inert = modal && !d.box.checked;
      d.close.hidden = !modal;
      d.toggles.forEach((t) => t.setAttribute("aria-expanded", String(d.box.checked)));
      if (modal && d.box.checked) {
        beside(d.drawer).forEach((el) => { if (!el.inert) { el.inert = true; held.add(el); } });
      }
    }
  };

  const open = (d, on) => {
    drawers.forEach((other) => { if (other.box) other.box.checked = false; });
    d.box.checked = on;
    update();
    if (on) {
      d.drawer.querySelector("a[href], button:not([hidden]), input:not([type=hidden])")?.focus();
    } else {
      d.toggles.find((t) => t.offsetParent !== null)?.focus();
    }
  };

  // The menu's expanders (a label for a hidden checkbox each) become buttons too, named after
  // the page whose subpages they show.
  const expanders = () => {
    for (const label of document.querySelectorAll(".sidebar-tree label[for]")) {
      const box = document.getElementById(label.htmlFor);
      const link = label.parentElement.querySelector(":scope > a");
      if (!box || !link) continue;
      const b = document.createElement("button");
      b.type = "button";
      b.className = "drawer-expander";
      b.append(...label.childNodes);
      b.setAttribute("aria-label", link.textContent.trim());
      const state = () => b.setAttribute("aria-expanded", String(box.checked));
      b.addEventListener("click", () => { box.checked = !box.checked; state(); });
      state();
      label.replaceWith(b);
    }
  };

  const setup = () => {
    expanders();
    for (const d of drawers) {
      d.box = document.getElementById(d.box);
      d.drawer = document.querySelector(d.drawer);
      if (!d.box || !d.drawer) { d.drawer = null; continue; }
      d.drawer.id ||= `${d.box.id.replace(/^_+/, "")}-drawer`;
      d.drawer.setAttribute("aria-label", d.name);
      d.toggles = [...document.querySelectorAll(d.toggles)].map((label) => button(label, d));
      d.close = document.createElement("button");
      d.close.type = "button";
      d.close.className = "drawer-close";
      d.close.textContent = "\u00d7";
      d.close.setAttribute("aria-label", `${words.close}: ${d.name}`);
      d.close.addEventListener("click", () => open(d, false));
      d.drawer.prepend(d.close);
      d.box.addEventListener("change", update); // a click on an overlay, which is a <label>
    }
    addEventListener("keydown", (e) => {
      const d = drawers.find((x) => x.drawer && x.box.checked && offCanvas(x));
      if (e.key === "Escape" && d) open(d, false);
    });
    let pending = false;
    addEventListener("resize", () => {
      if (!pending) requestAnimationFrame(() => { pending = false; update(); });
      pending = true;
    });
    update();
  };

  if (document.readyState === "loading") addEventListener("DOMContentLoaded", setup);
  else setup();
})();
