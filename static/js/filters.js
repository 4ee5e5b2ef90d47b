// Wide screens have room beside the list: their filters start unfolded.
// A phone keeps them folded behind one control, so its first screen shows stories.
if (window.matchMedia("(min-width: 60rem)").matches) {
  for (const filters of document.querySelectorAll("details.filters__more")) {
    filters.open = true;
  }
}
