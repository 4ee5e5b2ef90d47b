"use strict";
// select2, the admin's autocomplete widget, leaves its search box and an empty single
// choice without a name, and draws its clear-all button inside the <ul> of chosen
// items (axe-core: label, aria-input-field-name, list). Loaded deferred, so it runs
// before select2 starts (on DOMContentLoaded) and again after it has drawn.
{
    // A many-valued field is cleared chip by chip; the clear-all button is the bad <span>.
    document.querySelectorAll("select.admin-autocomplete[multiple]").forEach((select) => {
        select.dataset.allowClear = "false";
    });

    // The element naming a field, and its text: the field's <label>, or (in a tabular
    // inline, which has none) a hidden copy of the aria-label the admin gave the <select>.
    function fieldName(select, widget) {
        const label = select.id ? document.querySelector(`label[for="${select.id}"]`) : null;
        if (label !== null) {
            label.id = label.id || `${select.id}-label`;
            return {id: label.id, text: label.textContent.replace(/:\s*$/, "").trim()};
        }
        const text = select.getAttribute("aria-label");
        if (!select.id || !text) {
            return null;
        }
        let copy = document.getElementById(`${select.id}-name`);
        if (copy === null) {
            copy = document.createElement("span");
            copy.id = `${select.id}-name`;
            copy.hidden = true;
            copy.textContent = text;
            widget.append(copy);
        }
        return {id: copy.id, text};
    }

    function nameWidgets(root) {
        root.querySelectorAll("select.admin-autocomplete").forEach((select) => {
            const widget = select.nextElementSibling;
            if (widget === null || !widget.classList.contains("select2")) {
                return;
            }
            const name = fieldName(select, widget);
            if (name === null) {
                return;
            }
            widget.querySelectorAll(".select2-search__field").forEach((field) => {
                field.setAttribute("aria-label", name.text);
            });
            const many = widget.querySelector(".select2-selection--multiple");
            if (many !== null) {
                many.setAttribute("aria-labelledby", name.id);
            }
            const single = widget.querySelector(".select2-selection--single");
            const shown = widget.querySelector(".select2-selection__rendered");
            if (single !== null && shown !== null) {
                // The choice reads "Provider AI Weekly"; the shown value is plain text in it.
                shown.removeAttribute("role");
                shown.removeAttribute("aria-readonly");
                single.setAttribute("aria-labelledby", `${name.id} ${shown.id}`);
            }
        });
    }
    window.addEventListener("load", () => nameWidgets(document));
    document.addEventListener("formset:added", (event) => nameWidgets(event.target));
    // select2 may draw after "load" (a busy browser runs jQuery's ready callbacks late):
    // name each widget whenever one is added. Naming changes attributes only, so it
    // never wakes this observer again.
    new MutationObserver((changes) => {
        if (changes.some((change) => [...change.addedNodes].some(isWidget))) {
            nameWidgets(document);
        }
    }).observe(document.documentElement, {childList: true, subtree: true});

    function isWidget(node) {
        return node.nodeType === Node.ELEMENT_NODE && node.classList.contains("select2");
    }
}
