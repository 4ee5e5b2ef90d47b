"""The public pages' templates and tags as they were: test_list_page_bytes' reference."""
