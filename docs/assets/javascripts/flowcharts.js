// Renders every flowchart on the page to SVG with the Mermaid copy shipped with the site
// (vendor/mermaid.min.js), so nothing is fetched from a CDN.
//
// The Markdown fence ```mermaid becomes <pre class="redress-flowchart"><code>…</code></pre>
// (pymdownx.superfences custom fence in mkdocs.yml). A different class from Material's own
// "mermaid" keeps Material's integration, which would load Mermaid from unpkg.com, out of it.
// Each block is replaced by <figure class="redress-flowchart"> holding the SVG; a block that
// cannot be rendered stays as source text with an error logged to the console.
(function () {
  "use strict";

  var counter = 0;

  function configure() {
    window.mermaid.initialize({
      startOnLoad: false,
      securityLevel: "strict",
      theme: "base",
      fontFamily: "-apple-system, BlinkMacSystemFont, 'Segoe UI', Helvetica, Arial, sans-serif",
      themeVariables: {
        primaryColor: "#e8eaf6",
        primaryBorderColor: "#3949ab",
        primaryTextColor: "#1a237e",
        lineColor: "#5c6bc0",
        fontSize: "14px"
      },
      flowchart: { htmlLabels: true, curve: "basis", useMaxWidth: true }
    });
  }

  async function renderOne(block) {
    var source = block.textContent;
    var id = "redress-flowchart-" + counter++;
    try {
      var result = await window.mermaid.render(id, source);
      var figure = document.createElement("figure");
      figure.className = "redress-flowchart";
      figure.setAttribute("role", "img");
      figure.setAttribute("aria-label", block.getAttribute("aria-label") || "Flowchart");
      figure.innerHTML = result.svg;
      block.replaceWith(figure);
    } catch (error) {
      block.classList.add("redress-flowchart--failed");
      console.error("Flowchart " + id + " could not be rendered:", error);
    }
  }

  async function renderAll() {
    var blocks = Array.prototype.slice.call(document.querySelectorAll("pre.redress-flowchart"));
    if (!blocks.length) {
      return;
    }
    if (!window.mermaid) {
      console.error("Flowcharts: vendor/mermaid.min.js did not load");
      return;
    }
    configure();
    for (var i = 0; i < blocks.length; i++) {
      await renderOne(blocks[i]);
    }
    document.body.setAttribute("data-flowcharts", "rendered");
  }

  // Material for MkDocs publishes page loads (including instant navigation) on document$.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { renderAll(); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", renderAll);
  } else {
    renderAll();
  }
})();
