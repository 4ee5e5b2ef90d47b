"use strict";
// At laptop widths a changelist needs the nav sidebar's 276 px for its columns, so
// there it starts folded until the editor opens it with the « toggle (after which
// their choice is remembered as Django's nav_sidebar.js remembers it).
// Runs after nav_sidebar.js: deferred scripts all run before DOMContentLoaded.
document.addEventListener("DOMContentLoaded", () => {
    const key = "django.admin.navSidebarIsOpen";
    const main = document.getElementById("main");
    const sidebar = document.getElementById("nav-sidebar");
    const toggle = document.getElementById("toggle-nav-sidebar");
    if (main === null || sidebar === null || toggle === null) {
        return;
    }
    if (localStorage.getItem(key) === null && matchMedia("(max-width: 1439.98px)").matches) {
        main.classList.remove("shifted");
        sidebar.setAttribute("aria-expanded", "false");
    }
    // nav_sidebar.js flips its own copy of the state; store what the page really shows.
    toggle.addEventListener("click", () => {
        const open = String(main.classList.contains("shifted"));
        localStorage.setItem(key, open);
        sidebar.setAttribute("aria-expanded", open);
    });
});
