"""``python -m ecom_ai_plugin.saleor.app serve``: see :mod:`ecom_ai_plugin.saleor.app.server`."""
import sys

from ecom_ai_plugin.saleor.app.server import main

sys.exit(main())
