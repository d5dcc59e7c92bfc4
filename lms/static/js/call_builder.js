// The call builder (templates/calls/admin/builder.html). The page holds the scenario's definition; every
// action — a form's "Apply", a change in a field, a button, a drag on the diagram — is sent as one edit to
// the server (lms/calls/builder_service.py apply_edit), which answers with the changed definition, its
// graph, the validator's findings, the YAML and (for changes of shape) the forms drawn again.
// The diagram is cytoscape with the dagre layout (lms/static/vendor, copied there by `make setup`).
(function () {
  "use strict";
  const dataNode = document.getElementById("builder-data");
  if (!dataNode) return;
  const data = JSON.parse(dataNode.textContent);
  const words = data.words;
  const status = document.getElementById("builder-status");
  const formsBox = document.getElementById("builder-forms");
  const canvas = document.getElementById("builder-canvas");
  const token = document.querySelector("#save-form input[name=csrf_token]").value;
  const REDRAWN_BY_CHANGE = new Set(["name", "timer.seconds"]);
  let definition = data.definition;
  let cy = null;
  let connecting = false;
  let queue = Promise.resolve();

  function say(text) {
    status.textContent = text;
  }

  // ---------------------------------------------------------------- the diagram

  const STYLE = [
    {selector: "node", style: {
      "shape": "round-rectangle", "width": 160, "height": 52, "label": "data(label)", "text-wrap": "wrap",
      "text-max-width": 150, "font-size": 11, "text-valign": "center", "text-halign": "center",
      "background-color": "#eceff3", "border-width": 1.2, "border-color": "#6b7785", "color": "#1d2733"}},
    {selector: "node[kind = 'choice'], node[kind = 'typed']", style: {"background-color": "#e6f0fa", "border-color": "#0b5cad"}},
    {selector: "node[kind = 'end']", style: {"background-color": "#e5f4ea", "border-color": "#1d6b3a"}},
    {selector: "node[?start]", style: {"border-width": 3}},
    {selector: "node[fault = 'yes']", style: {"background-color": "#fdecea", "border-color": "#b3261e", "border-width": 3, "border-style": "dashed"}},
    {selector: "node:selected", style: {"overlay-color": "#0b5cad", "overlay-opacity": 0.18}},
    {selector: "edge", style: {
      "curve-style": "bezier", "width": 1.4, "line-color": "#8795a4", "target-arrow-shape": "triangle",
      "target-arrow-color": "#6b7785", "label": "data(label)", "font-size": 9, "color": "#33404d",
      "text-background-color": "#ffffff", "text-background-opacity": 1}},
  ];
  const LAYOUT = {name: "dagre", rankDir: "LR", nodeSep: 24, rankSep: 70, fit: true, padding: 20};

  function elementsOf(graph, problems) {
    const faults = new Set(problems.filter((p) => p.node).map((p) => p.node));
    const nodes = graph.nodes.map((n) => {
      const fault = faults.has(n.data.id);
      return {data: Object.assign({}, n.data, {fault: fault ? "yes" : "no",
                                               label: (fault ? "⚠ " + words.fault + "\n" : "") + n.data.label})};
    });
    return nodes.concat(graph.edges);
  }

  function drawGraph(graph, problems) {
    if (typeof window.cytoscape !== "function") return;
    const elements = elementsOf(graph, problems);
    if (!cy) {
      // cytoscape would add an inline <style> (refused by the CSP): the rule it holds is in app.css.
      if (!document.getElementById("__________cytoscape_stylesheet")) {
        const marker = document.createElement("meta");
        marker.id = "__________cytoscape_stylesheet";
        document.head.appendChild(marker);
      }
      cy = window.cytoscape({container: canvas, elements: elements, style: STYLE, layout: LAYOUT,
                             minZoom: 0.15, maxZoom: 3});
      hookDiagram();
      return;
    }
    const placed = {};
    cy.nodes().forEach((n) => { placed[n.id()] = Object.assign({}, n.position()); });
    cy.elements().remove();
    let unplaced = false;
    elements.forEach((element) => {
      if (element.data.source === undefined) {
        if (placed[element.data.id]) element.position = placed[element.data.id];
        else unplaced = true;
      }
    });
    cy.add(elements);
    if (unplaced) cy.layout(Object.assign({}, LAYOUT, {fit: false})).run();
  }

  function hookDiagram() {
    let from = null;
    cy.on("tapstart", "node", (event) => { if (connecting) from = event.target.id(); });
    cy.on("tapend", (event) => {
      const to = event.target !== cy && event.target.isNode && event.target.isNode() ? event.target.id() : null;
      if (connecting && from && to && to !== from) {
        flushPending();
        edit({edit: "connect", source: from, target: to}, true);
      }
      from = null;
    });
    cy.on("tap", "node", (event) => {
      if (connecting) return;
      const heading = document.getElementById("n-" + event.target.id() + "-h");
      if (heading) {
        heading.scrollIntoView({block: "start"});
        heading.focus({preventScroll: true});
      }
    });
  }

  function setConnecting(on) {
    connecting = on;
    const button = document.getElementById("connect-mode");
    button.setAttribute("aria-pressed", on ? "true" : "false");
    if (cy) {
      cy.autoungrabify(on);
      cy.userPanningEnabled(!on);
      cy.boxSelectionEnabled(false);
    }
    say(on ? words.connect_on : "");
  }

  document.querySelector(".builder-toolbar").addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button || !cy) return;
    if (button.id === "connect-mode") {
      setConnecting(!connecting);
      return;
    }
    const step = {left: {x: 120, y: 0}, right: {x: -120, y: 0}, up: {x: 0, y: 90}, down: {x: 0, y: -90}};
    if (button.dataset.pan) {
      cy.panBy(step[button.dataset.pan]);
      return;
    }
    const middle = {x: canvas.clientWidth / 2, y: canvas.clientHeight / 2};
    const zoom = button.dataset.zoom;
    if (zoom === "in") cy.zoom({level: cy.zoom() * 1.25, renderedPosition: middle});
    else if (zoom === "out") cy.zoom({level: cy.zoom() / 1.25, renderedPosition: middle});
    else if (zoom === "fit") cy.fit(undefined, 20);
    else if (zoom === "layout") cy.layout(LAYOUT).run();
  });

  // ---------------------------------------------------------------- the findings

  function showProblems(problems) {
    const box = document.getElementById("builder-problems");
    box.textContent = "";
    if (!problems.length) {
      const ok = document.createElement("p");
      ok.className = "tag tag--ok";
      ok.textContent = words.none;
      box.appendChild(ok);
    } else {
      const list = document.createElement("ul");
      list.className = "builder-problem-list";
      problems.forEach((p) => {
        const item = document.createElement("li");
        const place = document.createElement(p.node ? "a" : "span");
        if (p.node) place.href = "#node-" + p.node;
        place.textContent = p.place;
        item.append(place, ": " + p.message);
        list.appendChild(item);
      });
      box.appendChild(list);
    }
    formsBox.querySelectorAll(".builder-node").forEach((card) => {
      const own = problems.filter((p) => p.node === card.dataset.node);
      card.classList.toggle("builder-node--fault", own.length > 0);
      const list = card.querySelector(".builder-node__problems");
      list.textContent = "";
      own.forEach((p) => {
        const item = document.createElement("li");
        item.textContent = p.place + ": " + p.message;
        list.appendChild(item);
      });
    });
  }

  // ---------------------------------------------------------------- sending an edit

  function swapForms(html, focusId) {
    const active = document.activeElement;
    const kept = active && active.id && "value" in active && active.type !== "hidden"
      ? {id: active.id, value: active.value, shown: active.defaultValue} : null;
    formsBox.innerHTML = html;
    if (kept) {
      const again = document.getElementById(kept.id);
      if (again && "value" in again && again.defaultValue === kept.shown) again.value = kept.value;
    }
    const target = document.getElementById(focusId) || (kept && document.getElementById(kept.id))
      || document.getElementById("b-nodes");
    if (target) target.focus();
  }

  function refreshStarts(graph) {
    const select = document.getElementById("try-start");
    const chosen = select.value;
    select.textContent = "";
    graph.nodes.forEach((n) => {
      const option = new Option(n.data.words, n.data.id);
      option.selected = n.data.id === chosen || (!chosen && n.data.start);
      select.appendChild(option);
    });
  }

  async function send(fields, redraw, trigger) {
    const body = new URLSearchParams([["csrf_token", token], ["definition", JSON.stringify(definition)],
                                      ["edit", JSON.stringify(fields)]]);
    let answer;
    try {
      const response = await fetch(data.edit_url, {method: "POST", body: body, credentials: "same-origin",
                                                   headers: {"X-CSRFToken": token}});
      answer = await response.json();
    } catch (error) {
      say(words.failed);
      return;
    }
    if (answer.refused) {
      say(words.refused.replace("__R__", answer.refused));
      return;
    }
    definition = answer.definition;
    document.querySelectorAll("[data-definition]").forEach((input) => { input.value = JSON.stringify(definition); });
    document.getElementById("builder-yaml").textContent = answer.yaml;
    if (redraw) swapForms(answer.forms, answer.focus ? "n-" + answer.focus + "-h" : trigger);
    showProblems(answer.problems);
    drawGraph(answer.graph, answer.problems);
    refreshStarts(answer.graph);
    say(answer.problems.length ? words.problems.replace("__N__", answer.problems.length) : words.checked);
  }

  function edit(fields, redraw, trigger) {
    queue = queue.then(() => send(fields, redraw, trigger));
    return queue;
  }
  // For the browser tests: the diagram, and a promise kept once the edits sent so far are answered.
  window.callBuilder = {cy: () => cy, settled: () => new Promise((done) => setTimeout(done, 250)).then(() => queue)};

  function formFields(form) {
    const fields = Object.fromEntries(new FormData(form));
    fields.edit = form.dataset.edit;
    return fields;
  }

  // A change in a field is sent a moment later (several changes in a row make one edit); an action
  // taken meanwhile sends it first, so the edits keep the order in which they were made.
  let pending = null;
  function flushPending() {
    if (pending) {
      clearTimeout(pending.timer);
      const send = pending.send;
      pending = null;
      send();
    }
  }

  formsBox.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-edit]");
    if (!form) return;
    event.preventDefault();
    if (pending && pending.form === form) {
      clearTimeout(pending.timer);
      pending = null;  // this form sends every field anyway
    }
    flushPending();
    edit(formFields(form), true, event.submitter ? event.submitter.id : "");
  });

  formsBox.addEventListener("change", (event) => {
    const form = event.target.closest("form[data-edit^='update_']");
    if (!form || !event.target.name) return;
    const redraw = REDRAWN_BY_CHANGE.has(event.target.name);
    if (pending && pending.form !== form) flushPending();
    if (pending) clearTimeout(pending.timer);
    const send = () => { pending = null; edit(formFields(form), redraw, event.target.id); };
    pending = {form: form, send: send, timer: setTimeout(send, redraw ? 0 : 150)};
  });

  formsBox.addEventListener("click", (event) => {
    const button = event.target.closest("button[type=button][data-edit]");
    if (!button) return;
    flushPending();
    const fields = Object.assign({}, button.dataset);
    if (fields.with) {
      fields.criterion = document.getElementById(fields.with).value;
      delete fields.with;
    }
    edit(fields, true, button.id);
  });

  // Replies are reordered by dragging their handle onto another reply (or with their Move buttons).
  let dragged = null;
  formsBox.addEventListener("pointerdown", (event) => {
    const handle = event.target.closest(".builder-option__handle");
    if (!handle || event.button !== 0) return;
    event.preventDefault();  // no text selection while dragging
    const option = handle.closest(".builder-option");
    dragged = {node: option.closest(".builder-options").dataset.node, option: option.dataset.option, item: option};
    option.classList.add("builder-option--dragged");
  });
  document.addEventListener("pointerup", (event) => {
    if (!dragged) return;
    const moving = dragged;
    dragged = null;
    moving.item.classList.remove("builder-option--dragged");
    const under = document.elementFromPoint(event.clientX, event.clientY);
    const option = under && under.closest(".builder-option");
    const list = option && option.closest(".builder-options");
    if (list && list.dataset.node === moving.node && option.dataset.option !== moving.option) {
      flushPending();
      edit({edit: "move_option", node: moving.node, option: moving.option, to: option.dataset.option}, true,
           "n-" + moving.node + "-h");
    }
  });

  // Edits live in the page until saved: leaving with unsaved edits asks first (the browser's own question).
  const opened = JSON.stringify(data.definition);
  let saving = false;
  document.getElementById("save-form").addEventListener("submit", () => { saving = true; });
  window.addEventListener("beforeunload", (event) => {
    if (!saving && JSON.stringify(definition) !== opened) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  drawGraph(data.graph, data.problems);
})();
