"use strict";
// The changelist's filters fold (templates/admin/change_list.html) stays as the
// editor left it while they refine a list, page after page, in this tab.
{
    const fold = document.getElementById("newsroom-filters");
    if (fold !== null) {
        const key = "newsroom.admin.filtersOpen";
        fold.open = sessionStorage.getItem(key) === "true";
        fold.addEventListener("toggle", () => sessionStorage.setItem(key, String(fold.open)));
    }
}
