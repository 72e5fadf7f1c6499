print("kubeglass")
