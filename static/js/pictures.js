// A picture that fails to load (an outlet's image gone) is hidden, so the tidy
// placeholder behind it shows instead of a broken-image icon. The CSP allows no
// inline onerror; error events do not bubble, so one capturing listener on the
// document sees every <img>'s. Loaded in <head>, before any picture can fail.
document.addEventListener(
  "error",
  (event) => {
    if (event.target instanceof HTMLImageElement) {
      event.target.classList.add("picture--failed");
    }
  },
  true,
);
