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

    function nameWidgets(root) {
        root.querySelectorAll("select.admin-autocomplete").forEach((select) => {
            const widget = select.nextElementSibling;
            const label = select.id ? document.querySelector(`label[for="${select.id}"]`) : null;
            if (widget === null || !widget.classList.contains("select2") || label === null) {
                return;
            }
            label.id = label.id || `${select.id}-label`;
            const name = label.textContent.replace(/:\s*$/, "").trim();
            widget.querySelectorAll(".select2-search__field").forEach((field) => {
                field.setAttribute("aria-label", name);
            });
            const single = widget.querySelector(".select2-selection--single");
            const shown = widget.querySelector(".select2-selection__rendered");
            if (single !== null && shown !== null) {
                // The choice reads "Provider AI Weekly"; the shown value is plain text in it.
                shown.removeAttribute("role");
                shown.removeAttribute("aria-readonly");
                single.setAttribute("aria-labelledby", `${label.id} ${shown.id}`);
            }
        });
    }
    window.addEventListener("load", () => nameWidgets(document));
    document.addEventListener("formset:added", (event) => nameWidgets(event.target));
}
