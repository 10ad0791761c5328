from toptasks.cli import main

main()
