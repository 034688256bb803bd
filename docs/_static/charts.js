/* A chart's marks carry their values (a <title> for the pointer, a name for screen readers:
   charts_svg.tip). For sighted keyboard and touch users, the value of the mark in focus or
   under the pointer is also written under the chart. */
(() => {
  const start = () => document.querySelectorAll("svg.chart").forEach((svg) => {
    const line = document.createElement("p");
    line.className = "chart-value";
    line.setAttribute("aria-hidden", "true");  // the mark's own name is what is announced
    svg.after(line);
    const show = (event) => {
      const mark = event.target.closest?.(".chart-mark");
      if (mark) line.textContent = mark.getAttribute("aria-label");
    };
    svg.addEventListener("focusin", show);
    svg.addEventListener("pointerover", show);
  });
  if (document.readyState === "loading") addEventListener("DOMContentLoaded", start);
  else start();
})();
