/* Table pages: sort and filter a table's rows in the page (progressive enhancement: without
   this script the static table is all there is, and all there needs to be). Each header gets
   a sort button with a name; above the table, a text box filters the rows and a list sorts
   them (on a phone the header is hidden and rows read as cards: tables.css). The words come
   from the edition's catalogue (table_tools.py puts them in window.civicTableWords). */
(() => {
  const words = Object.assign({
    filter: "Filter rows", sort: "Sort rows by", unsorted: "the file's order",
    ascending: "{column}, ascending", descending: "{column}, descending",
    sortBy: "Sort by {column}", shown: "{shown} of {total} rows shown",
  }, window.civicTableWords || {});
  const say = (text, values) => text.replace(/\{(\w+)\}/g, (_m, k) => values[k]);
  const lang = document.documentElement.lang || "en";
  const collator = new Intl.Collator(lang, {numeric: true, sensitivity: "base"});
  let made = 0;

  const setup = (region) => {
    const table = region.querySelector("table");
    if (!table || !table.tHead || !table.tBodies.length) return;
    const body = table.tBodies[0];
    const rows = [...body.rows];
    const heads = [...table.tHead.rows[0].cells];
    const names = heads.map((th, i) => (rows[0]?.cells[i]?.dataset.label || th.textContent).trim());
    const id = `table-tools-${++made}`;
    const bar = document.createElement("div");
    bar.className = "table-tools";
    bar.innerHTML = `<label for="${id}-filter"></label><input id="${id}-filter" type="search">
      <label for="${id}-sort"></label><select id="${id}-sort"></select>
      <p class="table-tools-status" role="status"></p>`;
    const [filterLabel, sortLabel] = bar.querySelectorAll("label");
    const input = bar.querySelector("input"), select = bar.querySelector("select");
    const status = bar.querySelector("p");
    filterLabel.textContent = words.filter;
    sortLabel.textContent = words.sort;
    select.add(new Option(words.unsorted, ""));
    names.forEach((name, i) => {
      select.add(new Option(say(words.ascending, {column: name}), `${i}:1`));
      select.add(new Option(say(words.descending, {column: name}), `${i}:-1`));
    });
    const buttons = heads.map((th, i) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      button.setAttribute("aria-label", say(words.sortBy, {column: names[i]}));
      button.innerHTML = '<span aria-hidden="true">↕</span>';
      button.addEventListener("click", () => {
        const now = th.getAttribute("aria-sort");
        order(i, now === "ascending" ? -1 : 1);
      });
      th.append(button);
      return button;
    });
    const order = (column, direction) => {
      const text = (row) => row.cells[column]?.textContent.trim() || "";
      const sorted = column < 0 ? rows : [...rows].sort((a, b) => {
        const [x, y] = [text(a), text(b)];
        if (!x || !y) return (!x) - (!y);  // empty cells last, whichever way
        return direction * collator.compare(x, y);
      });
      body.append(...sorted);
      heads.forEach((th, i) => {
        if (i === column) th.setAttribute("aria-sort", direction > 0 ? "ascending" : "descending");
        else th.removeAttribute("aria-sort");
        buttons[i].querySelector("span").textContent =
          i === column ? (direction > 0 ? "▲" : "▼") : "↕";
      });
      select.value = column < 0 ? "" : `${column}:${direction}`;
    };
    select.addEventListener("change", () => {
      const [column, direction] = select.value ? select.value.split(":").map(Number) : [-1, 1];
      order(column, direction);
    });
    const filter = () => {
      const terms = input.value.toLocaleLowerCase(lang).split(/\s+/).filter(Boolean);
      let shown = 0;
      rows.forEach((row) => {
        const text = row.textContent.toLocaleLowerCase(lang);
        row.hidden = !terms.every((t) => text.includes(t));
        shown += !row.hidden;
      });
      status.textContent = say(words.shown, {shown, total: rows.length});
    };
    input.addEventListener("input", filter);
    region.before(bar);
    filter();
  };

  const start = () => document.querySelectorAll(".table-scroll.data-rows").forEach(setup);
  if (document.readyState === "loading") addEventListener("DOMContentLoaded", start);
  else start();
})();
