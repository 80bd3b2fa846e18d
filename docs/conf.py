# Sphinx configuration of the wordvec_nb documentation site
# (used by tools/build_docs.py, which fills the source folder).
import configparser, os
from pathlib import Path

_ini = configparser.ConfigParser(); _ini.read(Path(os.environ['WORDVEC_REPO'])/'settings.ini')
_s = _ini['DEFAULT']
project, author, release = _s['lib_name'], _s['author'], _s['version']
copyright = _s['copyright']

extensions = ['myst_nb', 'sphinx.ext.autodoc', 'sphinx.ext.napoleon', 'sphinx.ext.mathjax', 'sphinx_copybutton']
myst_enable_extensions = ['dollarmath', 'amsmath', 'colon_fence']
myst_dmath_double_inline = True
# outputs come from a real run: tools/run_notebooks.py --save-to (see build_docs.py)
nb_execution_mode = 'off'
nb_output_stderr = 'remove'                # progress bars and warnings of the run are not part of the page
nb_merge_streams = True
nb_render_markdown_format = 'myst'        # Markdown outputs (tables) are parsed like the notebooks' own Markdown
suppress_warnings = ['mystnb.unknown_mime_type', 'misc.highlighting_failure']
exclude_patterns = ['_build']
autodoc_member_order = 'bysource'
autodoc_typehints = 'signature'
autodoc_default_options = {'members': True, 'undoc-members': False, 'show-inheritance': False}

# Maths offline: MathJax 2 from the jupyter-server-mathjax wheel (copied into _static/mathjax by build_docs.py), its
# combined TeX config with HTML-CSS output and the STIX-Web web fonts that the wheel carries (it has no TeX fonts).
mathjax_path = 'mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full'
mathjax2_config = {'HTML-CSS': {'availableFonts': [], 'preferredFont': None, 'webFont': 'STIX-Web', 'imageFont': None},
                   'tex2jax': {'inlineMath': [['\\(', '\\)']], 'displayMath': [['\\[', '\\]']], 'processEscapes': True,
                               # MyST-NB marks notebook sections tex2jax_ignore; its math spans carry class "math"
                               'ignoreClass': 'tex2jax_ignore|mathjax_ignore',
                               'processClass': 'math|output_area|tex2jax_process'},
                   'showMathMenu': False, 'messageStyle': 'none'}

html_theme = 'sphinx_book_theme'
html_title = 'wordvec_nb'
html_static_path = ['_static']
html_css_files = ['code.css']
html_theme_options = {'show_toc_level': 2, 'home_page_in_toc': True, 'use_download_button': False,
                      'show_navbar_depth': 1, 'navigation_with_keys': False}
html_last_updated_fmt = None
html_copy_source = False
